/** Content & Domain: apply a prose pricing memo (category % changes, overrides, discontinued SKUs, .99 endings) to a product catalog. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { money } from './common.js';
import { csvText } from './csv.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const STORES: Record<string, { prefix: string; cats: Record<string, string[]> }> = {
  'outdoor shop': {
    prefix: 'OUT',
    cats: {
      tents: ['Ridge 2P tent', 'Summit dome tent', 'Ultralight bivy', 'Family cabin tent', 'Trekking tarp'],
      backpacks: ['Daypack 22L', 'Trail pack 45L', 'Expedition pack 70L', 'Hydration vest', 'Kids daypack'],
      footwear: ['Trail runners', 'Hiking boots', 'Camp sandals', 'Winter boots', 'Approach shoes'],
      jackets: ['Rain shell', 'Down puffer', 'Fleece midlayer', 'Softshell jacket', 'Wind breaker'],
    },
  },
  'book store': {
    prefix: 'BK',
    cats: {
      fiction: ['The Salt Road', 'Glass Harbor', 'Night Orchard', 'A Quiet Machine', 'The Last Ferry'],
      cookbooks: ['Weeknight Greens', 'Bread at Home', 'The Noodle Atlas', 'Small Plates', 'Fire and Smoke'],
      children: ['Moon Bear', 'The Busy Tugboat', 'Pip Finds a Hat', 'Dragons Nap Too', 'Ten Little Clouds'],
      travel: ['Lisbon on Foot', 'Alpine Huts', 'Island Hopping', 'Rail Europe', 'Desert Roads'],
    },
  },
  'electronics store': {
    prefix: 'EL',
    cats: {
      audio: ['Wireless earbuds', 'Studio headphones', 'Bluetooth speaker', 'Soundbar', 'USB microphone'],
      cables: ['USB-C cable 2m', 'HDMI cable 3m', 'Lightning cable', 'Ethernet cable 5m', 'Audio jack adapter'],
      chargers: ['65W GaN charger', 'Car charger', 'Wireless charging pad', 'Power bank 20k', 'Travel adapter'],
      accessories: ['Laptop sleeve', 'Phone stand', 'Webcam cover', 'Stylus pen', 'Screen cleaner kit'],
    },
  },
  'pet store': {
    prefix: 'PET',
    cats: {
      food: ['Grain-free kibble 5kg', 'Senior dog food', 'Kitten wet food', 'Salmon treats', 'Dental chews'],
      toys: ['Rope tug toy', 'Feather wand', 'Squeaky ball', 'Puzzle feeder', 'Catnip mouse'],
      beds: ['Orthopedic dog bed', 'Cat cave', 'Travel mat', 'Heated pad', 'Window perch'],
      grooming: ['Slicker brush', 'Nail clippers', 'Oatmeal shampoo', 'Deshedding tool', 'Ear cleaner'],
    },
  },
};

export const catalogPriceUpdate: Family = {
  id: 'catalog-price-update',
  version: 1,
  category: 'Content & Domain',
  subcategory: 'domain data handling',
  summary: 'Apply a pricing memo (category % changes, SKU overrides, discontinued items, .99 endings, clearance exemptions) to a catalog CSV.',
  domains: ['commerce'],
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const storeName = rng.pick(Object.keys(STORES));
    const store = STORES[storeName]!;
    const catNames = rng.sample(Object.keys(store.cats), 2 + Math.min(2, Math.floor(d / 2)));
    type P = { sku: string; name: string; category: string; price: number; status: string };
    const products: P[] = [];
    let n = 0;
    for (const c of catNames) {
      for (const name of rng.sample(store.cats[c]!, 2 + rng.int(1, Math.min(3, d + 1)))) {
        n++;
        products.push({ sku: `${store.prefix}-${String(100 + n * 11 + rng.int(0, 10))}`, name, category: c, price: rng.int(399, 39_999), status: d >= 5 && rng.chance(0.2) ? 'clearance' : 'active' });
      }
    }
    const order = rng.shuffle(products);
    const up = catNames[0]!;
    const upPct = rng.pick([3, 4, 5, 6, 8, 10, 12, 15]);
    const changes: Record<string, number> = { [up]: upPct };
    if (d >= 2) changes[catNames[1]!] = -rng.pick([5, 10, 15, 20, 25]);
    const overrides: Record<string, number> = {};
    if (d >= 2) for (const p of rng.sample(order, 1 + (d >= 4 ? 1 : 0))) overrides[p.sku] = rng.int(5, 300) * 100 - 1;
    const discontinued = d >= 3 ? rng.sample(order.filter((p) => !(p.sku in overrides)), 1 + (d >= 5 ? 1 : 0)).map((p) => p.sku) : [];
    const charm = d >= 4;
    const clearanceExempt = d >= 5;
    const pct = (c: number, p: number) => Math.floor((c * (100 + p) + 50) / 100);
    const newPrice = (p: P): number => {
      if (p.sku in overrides) return overrides[p.sku]!;
      const ch = changes[p.category];
      if (ch === undefined || (clearanceExempt && p.status === 'clearance')) return p.price;
      const v = pct(p.price, ch);
      return charm ? Math.floor(v / 100) * 100 + 99 : v;
    };
    const kept = order.filter((p) => !discontinued.includes(p.sku));
    // Make sure something actually changes.
    if (!kept.some((p) => newPrice(p) !== p.price)) overrides[kept[0]!.sku] = kept[0]!.price + 1000;
    const path = rng.pick(['catalog/products.csv', 'shop/catalog.csv', 'data/product_catalog.csv']);
    const memoPath = rng.pick(['catalog/price_changes.md', 'memos/pricing_update.md', 'PRICING_MEMO.md']);
    const out = rng.pick(['catalog/products_updated.csv', 'shop/catalog_new.csv', 'out/products.csv', 'catalog_updated.csv']);
    const header = ['sku', 'name', 'category', 'price', ...(d >= 5 ? ['status'] : [])];
    const row = (p: P, price: number) => [p.sku, p.name, p.category, money(price), ...(d >= 5 ? [p.status] : [])];
    const files: Record<string, string> = { [path]: csvText(header, order.map((p) => row(p, p.price))) };
    const month = rng.pick(['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']);
    const memo: string[] = [`# Pricing update — ${month}`, '', `From: ${rng.pick(['Merchandising', 'Head of retail', 'Finance', 'Category management'])}`, ''];
    for (const [c, p] of Object.entries(changes)) {
      memo.push(p > 0
        ? say(rng, ['- All **{c}** items go up by {p}%.', '- Raise every {c} price by {p}% (supplier costs went up).', '- {c}: +{p}% across the board.'], { c, p })
        : say(rng, ['- All **{c}** items are reduced by {p}%.', '- Cut {c} prices by {p}% to clear stock.', '- {c}: −{p}% on everything.'], { c, p: -p }));
    }
    for (const [sku, cents] of Object.entries(overrides)) memo.push(say(rng, ['- {sku} is now ${m}, whatever its category change says.', '- Set {sku} to a flat ${m} (this replaces any percentage change).'], { sku, m: money(cents) }));
    for (const sku of discontinued) memo.push(say(rng, ['- {sku} is discontinued: take it out of the catalog.', '- Drop {sku}, we no longer sell it.'], { sku }));
    if (charm) memo.push('- After a percentage change, prices end in .99: keep the whole-dollar part and make the cents 99 (e.g. 23.40 → 23.99).');
    if (clearanceExempt) memo.push('- Items with status `clearance` keep their current price unless they have their own override above.');
    memo.push('', `Questions to ${rng.pick(['pricing@', 'merch@', 'finance@'])}${slug2(storeName)}.example`, '');
    files[memoPath] = memo.join('\n');
    const ask = say(rng, [
      'Please apply the pricing memo `{memo}` to our {store} catalog (`{cat}`).',
      'New prices are out — update `{cat}` according to `{memo}`, please.',
      'Could you work through `{memo}` and produce the updated {store} catalog from `{cat}` ({n} products)?',
      'The {month} pricing changes are described in `{memo}`. Apply them to `{cat}`.',
      'Our {store} needs its price list refreshed: the rules are in `{memo}`, the current list in `{cat}`.',
    ], { memo: memoPath, cat: path, store: storeName, n: order.length, month });
    const instruction = voiced(ctx, ask, [
      say(rng, [
        '- Percentage changes are rounded to the nearest cent (half a cent rounds up).',
        '- Round percentage results to whole cents, halves up.',
        '- After applying a percentage, round to the cent (0.5 cent → up).',
      ]),
      say(rng, [
        'Write the result to `{out}` with the same columns (`{h}`) and the same row order as the original, minus removed products; prices with two decimals.',
        'Save `{out}`: identical header (`{h}`), rows in the original order (without anything removed), prices formatted like 12.50.',
        'Output `{out}` — same header `{h}`, original order, discontinued rows gone, two-decimal prices. Leave `{cat}` itself alone.',
      ], { out, h: header.join(','), cat: path }),
    ]);
    const solution = pyOracle(`
memo = open(${JSON.stringify(memoPath)}, encoding="utf-8").read()
changes = {}
for m in re.finditer(r"All \\*\\*(.+?)\\*\\* items go up by (\\d+)%|Raise every (.+?) price by (\\d+)%|^- (\\S+): \\+(\\d+)%", memo, re.M):
    g = [x for x in m.groups() if x]
    changes[g[0]] = int(g[1])
for m in re.finditer(r"All \\*\\*(.+?)\\*\\* items are reduced by (\\d+)%|Cut (.+?) prices by (\\d+)%|^- (\\S+): \\u2212(\\d+)%", memo, re.M):
    g = [x for x in m.groups() if x]
    changes[g[0]] = -int(g[1])
over = {}
for m in re.finditer(r"(\\S+) is now \\$([\\d.]+)", memo):
    over[m.group(1)] = round(float(m.group(2)) * 100)
for m in re.finditer(r"Set (\\S+) to a flat \\$([\\d.]+)", memo):
    over[m.group(1)] = round(float(m.group(2)) * 100)
gone = set(re.findall(r"(\\S+) is discontinued", memo)) | set(re.findall(r"Drop (\\S+), we no longer", memo))
charm = "prices end in .99" in memo
exempt = "status \`clearance\` keep" in memo
rows = list(csv.DictReader(open(${JSON.stringify(path)}, encoding="utf-8")))
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\\n")
    w.writeheader()
    for r in rows:
        if r["sku"] in gone:
            continue
        c = round(float(r["price"]) * 100)
        if r["sku"] in over:
            c = over[r["sku"]]
        elif r["category"] in changes and not (exempt and r.get("status") == "clearance"):
            c = (c * (100 + changes[r["category"]]) + 50) // 100
            if charm:
                c = c // 100 * 100 + 99
        r["price"] = "%d.%02d" % (c // 100, c % 100)
        w.writerow(r)
`);
    return {
      title: `Apply the ${month} pricing memo to the ${storeName} catalog`,
      instruction,
      workspace: files,
      solution,
      checks: [
        { id: 'csv_shape', type: 'csv', path: out, columns: header, row_count: kept.length },
        {
          id: 'csv_rows',
          type: 'csv',
          path: out,
          cells: kept.flatMap((p, row) => [
            { row, column: 'sku', equals: p.sku },
            { row, column: 'price', equals: money(newPrice(p)) },
          ]),
        },
        { id: 'catalog_untouched', type: 'file_unchanged', path, weight: 0 },
      ],
      operations: ['read local text files', 'read and parse CSV files', 'apply business rules', 'write CSV output'],
      tags: ['catalog', 'pricing'],
    };
  },
};

function slug2(s: string): string {
  return s.replace(/[^a-z]+/gi, '').toLowerCase();
}
