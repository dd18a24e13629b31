/**
 * Analysis & Reasoning: consolidate stock counts from warehouses that export differently →
 * net them against open purchase orders → decide what to reorder (reorder point, target, pack
 * size, discontinued items) → one purchase-order CSV per supplier → a summary JSON and a log line.
 */
import type { CheckInput, Family } from '../../family.js';
import { cents2, clutter, cmp, csvOf, iso, json, put, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';

const SUPPLIERS = ['Nordic Parts', 'Brightline Supply', 'Kestrel Wholesale', 'Orchard Components', 'Atlas Trading'];
const ITEMS = ['hex bolt M8', 'washer 10mm', 'cable tie 200mm', 'hinge 75mm', 'castor wheel', 'drawer slide', 'shelf pin', 'wall plug 6mm', 'wood screw 4x40', 'corner brace', 'door handle', 'magnet catch', 'felt pad', 'rubber foot', 'bracket L'];

interface Sku {
  sku: string;
  name: string;
  supplier: string;
  reorder: number;
  target: number;
  pack: number;
  cost: number; // cents
  active: boolean;
  north: number;
  south: number;
  east: number;
  open: number; // on open POs
  received: number; // on POs already received (already in the counts)
}

type Skip = 'sku-case' | 'on-order' | 'received' | 'pack' | 'discontinued' | 'stale' | 'east';

export const purchaseOrders: Family = {
  id: 'purchase-orders',
  version: 1,
  category: 'Analysis & Reasoning',
  subcategory: 'business calculations',
  summary: 'Consolidate warehouse stock exports, net open purchase orders, decide reorders by reorder point/target/pack size, write a PO per supplier, a summary and a log line.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const n = 8 + d * 4;
    const suppliers = rng.sample(SUPPLIERS, 2 + Math.min(2, Math.floor(d / 2)));
    const hasEast = d >= 3;
    const skus: Sku[] = rng.sample(ITEMS, Math.min(ITEMS.length, n)).map((name, i) => {
      const reorder = rng.int(10, 60);
      return {
        sku: `${['HB', 'WS', 'CT', 'HG', 'CW'][i % 5]}-${1000 + i * 37 + rng.int(0, 30)}`,
        name,
        supplier: suppliers[i % suppliers.length]!,
        reorder,
        target: reorder * 2 + rng.int(5, 40),
        pack: rng.pick([1, 6, 10, 12, 25]),
        cost: rng.int(15, 2_500),
        active: true,
        north: rng.int(0, reorder),
        south: rng.int(0, reorder),
        east: hasEast ? rng.int(0, 10) : 0,
        open: 0,
        received: 0,
      };
    });
    // Witnesses, one SKU each: south stock lifts it over the point; an open PO does; a received
    // PO would double-count; a discontinued item below its point; a pack that rounds.
    const [wSouth, wOpen, wRecv, wDisc, wPack, wEast] = skus;
    for (const s of [wSouth!, wOpen!, wRecv!, wDisc!]) {
      s.north = Math.floor(s.reorder / 2);
      s.east = 0;
    }
    if (hasEast) Object.assign(wEast!, { pack: 1, north: 0, south: 0, east: 5, active: true });
    wSouth!.south = s0(wSouth!) + 5;
    wOpen!.south = 0;
    wOpen!.open = wOpen!.reorder;
    wRecv!.south = 0;
    wRecv!.received = wRecv!.reorder;
    wDisc!.active = false;
    wDisc!.north = 0;
    wDisc!.south = 0;
    wPack!.pack = 12;
    wPack!.north = 0;
    wPack!.south = 1;
    wPack!.target = wPack!.reorder * 2 + 7;
    if ((wPack!.target - 1 - wPack!.east) % 12 === 0) wPack!.target++;
    function s0(s: Sku): number {
      return s.reorder - s.north;
    }
    const y = rng.int(2024, 2026);
    const mo = rng.int(1, 12);
    const today = iso(y, mo, rng.int(2, 27));

    const compute = (skip: ReadonlySet<Skip>) => {
      const lines: Array<{ s: Sku; qty: number }> = [];
      for (const s of skus) {
        if (!s.active && !skip.has('discontinued')) continue;
        const north = skip.has('stale') ? s.north + 40 : s.north;
        const avail = north + (skip.has('sku-case') ? 0 : s.south) + (skip.has('east') ? 0 : s.east) + (skip.has('on-order') ? 0 : s.open) + (skip.has('received') ? s.received : 0);
        if (avail >= s.reorder) continue;
        const need = s.target - avail;
        const qty = skip.has('pack') ? need : Math.ceil(need / s.pack) * s.pack;
        lines.push({ s, qty });
      }
      const bySupplier: Record<string, Array<{ s: Sku; qty: number }>> = {};
      for (const l of lines) (bySupplier[l.s.supplier] ??= []).push(l);
      for (const v of Object.values(bySupplier)) v.sort((a, b) => cmp(a.s.sku, b.s.sku));
      return bySupplier;
    };
    const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const total = (ls: Array<{ s: Sku; qty: number }>) => ls.reduce((a, l) => a + l.qty * l.s.cost, 0);

    const files: Record<string, string> = {
      'catalog.csv': csvOf(['sku', 'name', 'supplier', 'reorder_point', 'target_level', 'pack_size', 'unit_cost', 'status'], rng.shuffle(skus).map((s) => [s.sku, s.name, s.supplier, s.reorder, s.target, s.pack, cents2(s.cost), s.active ? 'active' : 'discontinued'])),
      'stock/north.csv': csvOf(['sku', 'on_hand'], rng.shuffle(skus).map((s) => [s.sku, s.north])),
      'stock/south.json': json(rng.shuffle(skus).filter((s) => s.south > 0).map((s) => ({ item: `${s.sku.toLowerCase()} `, qty: s.south }))),
      [`stock/old/north_${iso(y, mo, 1)}.csv`]: csvOf(['sku', 'on_hand'], skus.map((s) => [s.sku, s.north + 40])),
      'orders/open_orders.csv': csvOf(
        ['po', 'sku', 'qty', 'status'],
        skus.flatMap((s, i) => [...(s.open ? [[`PO-${500 + i}`, s.sku, s.open, 'open']] : []), ...(s.received ? [[`PO-${400 + i}`, s.sku, s.received, 'received']] : [])]),
      ),
      'orders/log.md': `# Purchase orders\n\n- ${iso(y, mo, 1)}: 2 purchase orders, total ${cents2(rng.int(20_000, 90_000))}\n`,
      'stock/README.md': `Counts exported each morning. north.csv comes from the WMS; south.json is typed in by the south site (SKUs in lower case, sometimes with stray spaces).${hasEast ? ' east.csv is semicolon-separated.' : ''} old/ keeps earlier exports.\n`,
      ...clutter(rng, d),
    };
    if (hasEast) files['stock/east.csv'] = csvOf(['SKU', 'Qty'], skus.filter((s) => s.east > 0).map((s) => [s.sku, s.east]), ';');
    // More open orders for SKUs that stay above their point anyway, so the file looks real.
    const truth = compute(new Set());
    const po = (sup: string) => `orders/po_${slug(sup)}.csv`;
    const render = (skip: ReadonlySet<Skip>, o: { variant?: boolean; noSummary?: boolean } = {}) => {
      const by = compute(skip);
      const sups = Object.keys(by).sort(cmp);
      const grand = sups.reduce((a, s) => a + total(by[s]!), 0);
      return sh(
        ...sups.map((s) => put(po(s), csvOf(['sku', 'name', 'qty', 'unit_cost', 'line_total'], (o.variant ? [...by[s]!] : by[s]!).map((l) => [l.s.sku, l.s.name, l.qty, o.variant ? String(l.s.cost / 100) : cents2(l.s.cost), o.variant ? String((l.qty * l.s.cost) / 100) : cents2(l.qty * l.s.cost)])))),
        o.noSummary ? '' : put('orders/summary.json', json(Object.fromEntries(sups.map((s) => [s, { lines: by[s]!.length, total: total(by[s]!) / 100, ...(o.variant ? { file: po(s) } : {}) }])), o.variant ? 4 : 2)),
        o.noSummary ? '' : `printf '%s\\n' '- ${today}: ${sups.length} purchase orders, total ${cents2(grand)}' >> orders/log.md\n`,
      );
    };
    const sups = Object.keys(truth).sort(cmp);
    const grand = sups.reduce((a, s) => a + total(truth[s]!), 0);
    const checks: CheckInput[] = [
      ...sups.map((s) => ({
        id: `po_${slug(s)}`,
        type: 'csv' as const,
        path: po(s),
        columns: ['sku', 'name', 'qty', 'unit_cost', 'line_total'],
        row_count: truth[s]!.length,
        cells: truth[s]!.flatMap((l, i) => [
          { row: i, column: 'sku', equals: l.s.sku },
          { row: i, column: 'qty', equals: l.qty },
          { row: i, column: 'line_total', equals: (l.qty * l.s.cost) / 100 },
        ]),
      })),
      ...suppliers.filter((s) => !truth[s]).map((s) => ({ id: `no_po_${slug(s)}`, type: 'file_absent' as const, path: po(s), weight: 0 })),
      { id: 'summary', type: 'json_path', path: 'orders/summary.json', query: '$', exists: true },
      ...sups.map((s) => ({ id: `summary_${slug(s)}`, type: 'json_path' as const, path: 'orders/summary.json', query: `$['${s}'].total`, equals: total(truth[s]!) / 100, tolerance: 0.005 })),
      { id: 'summary_suppliers', type: 'command', run: `python3 -c 'import json,sys; d=json.load(open("orders/summary.json")); sys.exit(0 if sorted(d)==${JSON.stringify(sups).replace(/'/g, '')} else 1)'`, description: 'one summary entry per supplier with a PO' },
      { id: 'log_line', type: 'text_matches', path: 'orders/log.md', pattern: `^- ${today}: ${sups.length} purchase orders, total ${cents2(grand).replace('.', '\\.')}$` },
    ];
    const rules: Rule[] = [
      { id: 'sku-case', text: 'south.json spells SKUs in lower case with stray spaces; they are the same SKUs as the catalog.' },
      { id: 'on-order', text: 'Quantities on open purchase orders count as available.' },
      { id: 'received', text: 'Received orders are already in the counts and must not be added again.' },
      { id: 'pack', text: 'Order quantities are rounded up to whole packs (pack_size).' },
      { id: 'discontinued', text: 'Discontinued items are never reordered.' },
      { id: 'stale', text: 'stock/old/ holds earlier exports; only the current counts are used.' },
    ];
    if (hasEast) rules.push({ id: 'east', text: 'The east site (stock/east.csv, semicolon-separated) counts too.' });
    const ask = say(rng, [
      `Could you do this week's reorder run? Stock is spread over ${hasEast ? 'three' : 'two'} warehouse exports in \`stock/\`, and I need purchase orders for whatever has dropped below its reorder point.`,
      `Time for purchasing: please work out what we need to reorder from the stock exports in \`stock/\` and the catalog, and draft the POs.`,
    ]);
    const paragraphs = [
      say(rng, [
        `Add up each SKU over \`stock/north.csv\`, \`stock/south.json\`${hasEast ? ' and `stock/east.csv`' : ''} (the south site types SKUs in lower case, sometimes with trailing spaces — they are the same items${hasEast ? '; east uses semicolons' : ''}). \`stock/old/\` is history, not current. Quantities on \`open\` lines of \`orders/open_orders.csv\` are on their way and count as available; \`received\` ones are already in the counts, so don't add them again.`,
        `Available stock per SKU = north + south${hasEast ? ' + east' : ''} counts (south.json writes SKUs lower-case with stray spaces, same SKUs though${hasEast ? '; east.csv is `;`-separated' : ''}) plus whatever sits on \`open\` orders in \`orders/open_orders.csv\` — \`received\` orders are already counted on the shelf. Ignore \`stock/old/\`, those are earlier exports.`,
      ]),
      say(rng, [
        'An active item whose available stock is below its `reorder_point` gets ordered up to its `target_level`, rounded up to whole packs (`pack_size`). Discontinued items are never reordered.',
        'Reorder rule from `catalog.csv`: if available < `reorder_point`, order `target_level − available`, rounded up to a multiple of `pack_size`; skip anything `discontinued`.',
      ]),
      say(rng, [
        `For each supplier with something to order, write \`orders/po_<supplier>.csv\` (supplier name in lower case, non-alphanumerics as \`-\`, e.g. \`${po(suppliers[0]!)}\`) with columns \`sku,name,qty,unit_cost,line_total\`, sorted by sku; no file for a supplier with nothing to order. Then \`orders/summary.json\`: supplier name → \`{"lines": …, "total": …}\` (total to the cent), and a line at the end of \`orders/log.md\` in the same style as the last one, dated ${today}.`,
        `Output: one \`orders/po_<supplier-slug>.csv\` per supplier that needs anything (slug = lower case, runs of other characters → \`-\`, like \`${po(suppliers[0]!)}\`), columns \`sku,name,qty,unit_cost,line_total\`, rows by sku. Plus \`orders/summary.json\` mapping each of those suppliers to \`{"lines": n, "total": amount}\` (to the cent), and log it in \`orders/log.md\` like the previous entry, with today's date (${today}).`,
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('pos-only', 'writes the purchase orders but no summary or log line', render(new Set(), { noSummary: true })),
      variant('plain-numbers', 'amounts without trailing zeros, an extra `file` key per supplier, 4-space JSON', render(new Set(), { variant: true })),
    ];
    return {
      title: 'Weekly reorder run',
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['read and parse CSV files', 'read and parse JSON files', 'clean and normalize data', 'aggregate and summarize data', 'write CSV output', 'write structured JSON output'],
      tags: ['composed', 'inventory', 'csv'],
    };
  },
};
