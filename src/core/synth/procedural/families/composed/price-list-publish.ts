/**
 * Content & Domain: apply the current price memo (not the superseded one) to the catalog JSON —
 * fixed prices and percentage changes rounded up to .99, discontinued products left alone →
 * regenerate the public price page with the site script → write the customer announcement.
 */
import type { CheckInput, Family } from '../../family.js';
import { cents2, clutter, cmp, dayNum, fromDayNum, iso, json, put, py, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';

const PRODUCTS: Record<string, string[]> = {
  Teas: ['Sencha Green', 'Earl Grey', 'Rooibos Vanilla', 'Jasmine Pearls', 'Masala Chai', 'Peppermint'],
  Coffee: ['House Blend', 'Ethiopia Yirgacheffe', 'Colombia Huila', 'Decaf Espresso', 'Sumatra Dark'],
  Accessories: ['Glass Teapot', 'Pour-over Cone', 'Milk Frother', 'Tea Strainer', 'Travel Mug'],
};

interface Prod {
  sku: string;
  name: string;
  category: string;
  price: number; // cents
  status: 'active' | 'discontinued';
}
type Change = { sku: string; abs?: number; pct?: number };
type Skip = 'superseded' | 'rounding' | 'discontinued';

/** Round up to the next price ending in .99 (12.30 → 12.99, 12.99 stays). */
const up99 = (c: number) => (Math.floor(c / 100) * 100 + 99 >= c ? Math.floor(c / 100) * 100 + 99 : Math.floor(c / 100) * 100 + 199);

export const priceListPublish: Family = {
  id: 'price-list-publish',
  version: 1,
  category: 'Content & Domain',
  subcategory: 'publishing and content management',
  summary: 'Apply the current price memo to a catalog JSON (fixed and percentage changes, .99 rounding, discontinued skipped), regenerate the price page, write the announcement.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const prods: Prod[] = [];
    let n = 0;
    for (const cat of rng.sample(Object.keys(PRODUCTS), 2 + (d >= 3 ? 1 : 0))) {
      for (const name of rng.sample(PRODUCTS[cat]!, 3 + Math.min(2, d))) prods.push({ sku: `${cat.slice(0, 2).toUpperCase()}-${100 + n++ * 3}`, name, category: cat, price: rng.int(3, 60) * 100 + rng.pick([49, 90, 99, 0, 50]), status: 'active' });
    }
    const shuffled = rng.shuffle(prods.map((_, i) => i));
    // Witnesses: a percentage change that needs rounding, a discontinued product in the memo, and
    // a product the superseded memo changes but the current one does not.
    const [iPct, iDisc, iOld, ...rest] = shuffled;
    prods[iDisc!]!.status = 'discontinued';
    const changes: Change[] = [{ sku: prods[iPct!]!.sku, pct: rng.pick([5, 8, 12, 15]) }, { sku: prods[iDisc!]!.sku, pct: 10 }];
    for (const i of rest.slice(0, 1 + d)) changes.push(rng.chance(0.5) ? { sku: prods[i]!.sku, abs: rng.int(3, 70) * 100 + 99 } : { sku: prods[i]!.sku, pct: rng.pick([-10, -5, 4, 6, 20]) });
    const pp = prods[iPct!]!;
    while (up99(Math.ceil((pp.price * (100 + changes[0]!.pct!)) / 100)) === Math.round((pp.price * (100 + changes[0]!.pct!)) / 100)) pp.price += 10;
    const oldChanges: Change[] = [{ sku: prods[iOld!]!.sku, pct: 25 }, ...changes.slice(2, 3).map((c) => ({ sku: c.sku, abs: 999 }))];
    const y = rng.int(2024, 2026);
    const dn = dayNum(y, rng.int(2, 11), rng.int(1, 25));
    const date = iso(...fromDayNum(dn));
    const oldDate = iso(...fromDayNum(dn - 21));
    const apply = (p: Prod, c: Change, skip: ReadonlySet<Skip>) => (c.abs !== undefined ? c.abs : skip.has('rounding') ? Math.round((p.price * (100 + c.pct!)) / 100) : up99(Math.ceil((p.price * (100 + c.pct!)) / 100)));
    const compute = (skip: ReadonlySet<Skip>) => {
      const out = prods.map((p) => ({ ...p }));
      for (const c of [...(skip.has('superseded') ? oldChanges : []), ...changes]) {
        const p = out.find((x) => x.sku === c.sku)!;
        if (p.status === 'discontinued' && !skip.has('discontinued')) continue;
        p.price = apply(prods.find((x) => x.sku === c.sku)!, c, skip);
      }
      return out;
    };
    const toJson = (ps: Prod[]) => ps.map((p) => ({ sku: p.sku, name: p.name, category: p.category, price: p.price / 100, status: p.status }));
    const page = (ps: Prod[]) => {
      const act = ps.filter((p) => p.status === 'active');
      const cats = [...new Set(act.map((p) => p.category))].sort(cmp);
      return `# Prices\n${cats.map((c) => `\n## ${c}\n\n| Product | Price (EUR) |\n|---|---|\n${act.filter((p) => p.category === c).sort((a, b) => cmp(a.name, b.name)).map((p) => `| ${p.name} | ${cents2(p.price)} |`).join('\n')}\n`).join('')}`;
    };
    const memo = (when: string, cs: Change[], superseded?: string) =>
      `# Price update ${when}\n\n${superseded ? `Status: SUPERSEDED by the ${superseded} memo.\n\n` : 'Status: approved.\n\n'}| sku | change |\n|---|---|\n${cs.map((c) => `| ${c.sku} | ${c.abs !== undefined ? cents2(c.abs) : `${c.pct! > 0 ? '+' : ''}${c.pct}%`} |`).join('\n')}\n`;
    const files: Record<string, string> = {
      'catalog/products.json': json(toJson(prods)),
      [`memos/${oldDate}-prices.md`]: memo(oldDate, oldChanges, date),
      [`memos/${date}-prices.md`]: memo(date, changes),
      'site/prices.md': page(prods),
      'scripts/render_prices.py': `#!/usr/bin/env python3
"""Render site/prices.md from catalog/products.json (active products, by category and name)."""
import json

products = [p for p in json.load(open("catalog/products.json")) if p["status"] == "active"]
out = ["# Prices"]
for cat in sorted({p["category"] for p in products}):
    out += ["", f"## {cat}", "", "| Product | Price (EUR) |", "|---|---|"]
    out += [f"| {p['name']} | {p['price']:.2f} |" for p in sorted((p for p in products if p["category"] == cat), key=lambda p: p["name"])]
open("site/prices.md", "w").write("\\n".join(out) + "\\n")
`,
      'memos/README.md': 'Pricing memos. A memo states fixed new prices (12.99) or percentage changes (+8%). After a percentage change the price is rounded up to the next price ending in .99.\n',
      ...clutter(rng, d),
    };
    const annPath = `announcements/${date}-price-changes.md`;
    const truth = compute(new Set());
    const changed = (after: Prod[]) => after.filter((p, i) => p.price !== prods[i]!.price).sort((a, b) => cmp(a.name, b.name));
    const render = (skip: ReadonlySet<Skip>, o: { noRender?: boolean; loose?: boolean } = {}) => {
      const after = compute(skip);
      return sh(
        put('catalog/products.json', json(toJson(after), o.loose ? 4 : 2)),
        o.noRender ? '' : 'python3 scripts/render_prices.py\n',
        put(annPath, `${o.loose ? 'Dear customers,\n\nfrom today some prices change:\n\n' : `# Price changes from ${date}\n\n`}${changed(after).map((p) => `- ${p.name}: ${cents2(prods.find((x) => x.sku === p.sku)!.price)} ${o.loose ? '->' : '→'} ${cents2(p.price)}`).join('\n')}\n`),
      );
    };
    const unchangedNames = prods.filter((p, i) => truth[i]!.price === p.price).map((p) => `- ${p.name}:`);
    const checks: CheckInput[] = [
      ...truth.map((p, i) => ({ id: `price_${p.sku}`, type: 'json_path' as const, path: 'catalog/products.json', query: `$[${i}].price`, equals: p.price / 100, tolerance: 0.001, weight: p.price === prods[i]!.price ? 0 : 1 })),
      { id: 'catalog_rest_kept', type: 'command', run: py(`got = json.load(open("catalog/products.json"))\nwant = json.loads(${JSON.stringify(JSON.stringify(toJson(truth)))})\nassert [{k: v for k, v in p.items() if k != "price"} for p in got] == [{k: v for k, v in p.items() if k != "price"} for p in want]\nassert any(abs(a["price"] - b["price"]) > 0.001 for a, b in zip(got, json.loads(${JSON.stringify(JSON.stringify(toJson(prods)))})))`), description: 'only prices changed in the catalog' },
      { id: 'page', type: 'text_equals', path: 'site/prices.md', text: page(truth), weight: 2 },
      ...changed(truth).map((p) => ({ id: `ann_${p.sku}`, type: 'text_matches' as const, path: annPath, pattern: `^[-*] ${p.name}: ${cents2(prods.find((x) => x.sku === p.sku)!.price).replace('.', '\\.')} (→|->) ${cents2(p.price).replace('.', '\\.')}\\s*$` })),
      { id: 'ann_only_changes', type: 'text_not_contains', path: annPath, text: unchangedNames },
    ];
    const rules: Rule[] = [
      { id: 'superseded', text: 'Only the current memo applies; the superseded one is history.' },
      { id: 'rounding', text: 'After a percentage change the price is rounded up to the next price ending in .99.' },
      { id: 'discontinued', text: 'Discontinued products keep their price even if the memo lists them.' },
    ];
    const ask = say(rng, [
      `The ${date} pricing memo is approved. Could you put it into the catalog, refresh the price page and draft the customer note?`,
      `New prices go live today (${date}). Please update our catalog from the memo in \`memos/\`, republish the price list and write the announcement.`,
    ]);
    const paragraphs = [
      say(rng, [
        `The memo to use is \`memos/${date}-prices.md\` — the earlier one was superseded and must not be applied. A fixed price in the memo is the new price; a percentage change is applied to the current price and then rounded up to the next price ending in .99 (12.30 → 12.99; 12.99 stays). Discontinued products keep their price even if the memo mentions them. In \`catalog/products.json\` only the prices change.`,
        `Apply \`memos/${date}-prices.md\` (not the older memo, which was superseded) to \`catalog/products.json\`, changing nothing but prices: fixed amounts replace the price, a +x% / −x% change is applied and rounded up to the next .99 ending (see \`memos/README.md\`: 12.30 → 12.99, 12.99 stays 12.99). Products marked discontinued are left as they are.`,
      ]),
      say(rng, [
        `Then regenerate \`site/prices.md\` with \`python3 scripts/render_prices.py\`, and write \`${annPath}\`: one line per product whose price changed, \`- <name>: <old> → <new>\` (two decimals), sorted by name, and nothing about the others.`,
        `Re-render the public page with \`python3 scripts/render_prices.py\` (it writes \`site/prices.md\`) and draft \`${annPath}\` listing every product whose price actually changed as \`- <name>: <old> → <new>\` (prices with two decimals; \`->\` is fine too), alphabetical by name — unchanged products don't appear.`,
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('page-not-rendered', 'updates the catalog and the announcement but never re-renders the price page', render(new Set(), { noRender: true })),
      variant('loose', 'catalog indented with 4 spaces, an announcement with a greeting and ASCII arrows', render(new Set(), { loose: true })),
    ];
    return {
      title: `Publish the ${date} price update`,
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['read and parse markdown files', 'update structured files in place', 'run scripts or commands', 'write customer-facing content'],
      tags: ['composed', 'json', 'markdown'],
    };
  },
};
