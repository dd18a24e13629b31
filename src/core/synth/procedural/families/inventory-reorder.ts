/** Analysis & Reasoning: decide which SKUs to reorder and how many, from stock levels, usage, lead times and open POs. */
import type { Family, FamilyOutput } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { csvText } from './csv.js';
import { csvQuoteAll, on, ruleMutants, shortcutMutant, variantMutant, type KitExtras, type KitRule } from './mutant-kit.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const CATALOGS: Record<string, string[]> = {
  cafe: ['Espresso beans 1kg', 'Oat milk 1L', 'Paper cups 12oz', 'Lids 12oz', 'Vanilla syrup', 'Croissant dough', 'Napkins', 'Chai concentrate', 'Cocoa powder', 'Stir sticks'],
  clinic: ['Nitrile gloves M', 'Syringes 5ml', 'Gauze pads', 'Alcohol swabs', 'Face masks', 'Exam table paper', 'Sharps containers', 'Bandages', 'Thermometer covers', 'Saline 500ml'],
  workshop: ['M6 bolts', 'M6 nuts', 'Wood glue', 'Sandpaper 120', 'Drill bits 8mm', 'Safety goggles', 'Cable ties', 'Duct tape', 'Wood screws 40mm', 'Hinges'],
  office: ['A4 paper', 'Toner black', 'Sticky notes', 'Ballpoint pens', 'Staples', 'Envelopes C5', 'Coffee pods', 'Whiteboard markers', 'Batteries AA', 'Binder clips'],
  bakery: ['Bread flour 25kg', 'Yeast 500g', 'Butter 10kg', 'Sugar 25kg', 'Eggs tray 30', 'Sesame seeds', 'Baking paper', 'Cake boxes', 'Vanilla extract', 'Sea salt'],
};
const PREFIX: Record<string, string> = { cafe: 'CF', clinic: 'MD', workshop: 'WS', office: 'OF', bakery: 'BK' };

export const inventoryReorder: Family = {
  id: 'inventory-reorder',
  version: 2,
  category: 'Analysis & Reasoning',
  subcategory: 'business calculations',
  summary: 'Compute reorder points and order quantities (safety stock, open POs, case packs, warehouses, discontinued items); write CSV.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const kind = rng.pick(Object.keys(CATALOGS));
    const items = rng.sample(CATALOGS[kind]!, 5 + d + rng.int(0, 1));
    const cover = rng.pick([7, 10, 14, 21, 30]);
    const safety = d >= 3 ? rng.pick([2, 3, 5, 7]) : 0;
    const warehouses = d >= 5 ? rng.sample(['north', 'south', 'east', 'central', 'harbor'], 2) : ['main'];
    type Item = { sku: string; name: string; usage: number; lead: number; onHand: Record<string, number>; incoming: number; pack: number; status: string; rp?: number; rq?: number };
    const rows: Item[] = items.map((name, i) => {
      const usage = rng.int(1, 40);
      const lead = rng.int(2, 14);
      const rpGuess = usage * (lead + safety);
      const total = rng.chance(0.5) ? rng.int(0, Math.max(0, rpGuess - 1)) : rng.int(rpGuess, rpGuess * 3 + 10);
      const onHand: Record<string, number> = {};
      let left = total;
      warehouses.forEach((w, k) => {
        const part = k === warehouses.length - 1 ? left : rng.int(0, left);
        onHand[w] = part;
        left -= part;
      });
      return {
        sku: `${PREFIX[kind]}-${String(100 + i * 13 + rng.int(0, 12)).padStart(4, '0')}`,
        name,
        usage,
        lead,
        onHand,
        incoming: 0,
        pack: d >= 4 ? rng.pick([6, 10, 12, 24, 50]) : 1,
        status: d >= 5 && rng.chance(0.15) ? 'discontinued' : 'active',
        rp: d === 1 ? rng.int(20, 200) : undefined,
        rq: d === 1 ? rng.int(2, 30) * 10 : undefined,
      };
    });
    const pos: Array<[string, string, number, string]> = [];
    if (d >= 3) {
      for (const it of rng.sample(rows, 2 + Math.floor(d / 2))) {
        const qty = rng.int(1, 3) * it.usage * 3;
        const status = rng.chance(0.75) ? 'open' : 'received';
        pos.push([`PO-${rng.int(1000, 9999)}`, it.sku, qty, status]);
        if (status === 'open') it.incoming += qty;
      }
    }
    // Witnesses, so every stated rule changes the answer for some SKU.
    const rpOf = (it: Item) => (d === 1 ? it.rp! : it.usage * (it.lead + safety));
    const setStock = (it: Item, total: number) => {
      for (const w of warehouses) it.onHand[w] = 0;
      // The last warehouse holds part of it, so reading one warehouse alone is wrong.
      if (warehouses.length > 1 && total >= 1) {
        it.onHand[warehouses[1]!] = Math.ceil(total / 2);
        it.onHand[warehouses[0]!] = total - Math.ceil(total / 2);
      } else it.onHand[warehouses[0]!] = total;
    };
    const [atPoint, low, low2, gone] = rng.sample(rows, 4);
    for (const it of [atPoint!, low!, low2!, gone!]) it.status = 'active';
    for (const p of pos) if ([atPoint, low, low2, gone].some((it) => it!.sku === p[1])) p[3] = 'received';
    for (const it of [low!, low2!]) if (d === 1 && it.rq === it.rp) it.rq! += 10;
    setStock(atPoint!, rpOf(atPoint!)); // exactly at the reorder point: not below it
    setStock(low!, Math.floor(rpOf(low!) / 4));
    setStock(low2!, Math.floor(rpOf(low2!) / 3));
    if (d >= 3) {
      pos.push([`PO-${rng.int(1000, 9999)}`, low!.sku, Math.max(1, Math.floor(rpOf(low!) / 4)), 'open']);
      pos.push([`PO-${rng.int(1000, 9999)}`, low2!.sku, rng.int(1, 3) * low2!.usage * 3, 'received']);
    }
    if (d >= 5) {
      gone!.status = 'discontinued';
      setStock(gone!, 0);
    }
    for (const it of rows) it.incoming = pos.filter((p) => p[1] === it.sku && p[3] === 'open').reduce((a, p) => a + p[2], 0);
    const avail = (it: Item) => Object.values(it.onHand).reduce((a, b) => a + b, 0) + it.incoming;
    // Case packs: the low SKU's need is not a whole number of cases.
    if (d >= 4 && low!.pack > 1) {
      const need = () => low!.usage * (low!.lead + safety + cover) - avail(low!);
      if (need() % low!.pack === 0) setStock(low!, Math.max(0, Object.values(low!.onHand).reduce((a, b) => a + b, 0) + (Object.values(low!.onHand).reduce((a, b) => a + b, 0) > 0 ? -1 : 1)));
    }
    const truth = rows
      .filter((it) => it.status === 'active')
      .flatMap((it) => {
        const a = avail(it);
        if (d === 1) return a < it.rp! ? [{ it, a, qty: it.rq! }] : [];
        const rp = it.usage * (it.lead + safety);
        if (a >= rp) return [];
        const need = it.usage * (it.lead + safety + cover) - a;
        return [{ it, a, qty: Math.ceil(need / it.pack) * it.pack }];
      })
      .sort((x, y) => cmp(x.it.sku, y.it.sku));
    const header = ['sku', 'name', ...(d >= 5 ? ['warehouse'] : []), 'on_hand', 'daily_usage', 'lead_time_days', ...(d === 1 ? ['reorder_point', 'reorder_qty'] : []), ...(d >= 4 ? ['case_pack'] : []), ...(d >= 5 ? ['status'] : [])];
    const stockRows = rows.flatMap((it) =>
      warehouses.map((w) => [it.sku, it.name, ...(d >= 5 ? [w] : []), it.onHand[w]!, it.usage, it.lead, ...(d === 1 ? [it.rp!, it.rq!] : []), ...(d >= 4 ? [it.pack] : []), ...(d >= 5 ? [it.status] : [])]),
    );
    const base = rng.pick(['inventory', 'stock', 'ops/inventory']);
    const shuffled = rng.shuffle(stockRows);
    // The file does not list the SKUs to reorder in SKU order, so the sort is needed.
    const firstAt = (sku: string) => shuffled.findIndex((r) => r[0] === sku);
    const [s1, s2] = [truth[0]!.it.sku, truth[1]!.it.sku];
    const [f1, f2] = [firstAt(s1), firstAt(s2)];
    if (f1 < f2) [shuffled[f1], shuffled[f2]] = [shuffled[f2]!, shuffled[f1]!];
    const files: Record<string, string> = { [`${base}/stock.csv`]: csvText(header, shuffled) };
    if (d >= 3) files[`${base}/open_pos.csv`] = csvText(['po_number', 'sku', 'qty', 'status'], pos);
    const out = rng.pick(['reorder.csv', `${base}/reorder_list.csv`, 'purchasing/reorder.csv', 'out/to_order.csv']);
    const cols = ['sku', 'name', ...(d >= 3 ? ['available'] : []), 'order_qty'];
    const place = { cafe: 'the café', clinic: 'the clinic', workshop: 'the workshop', office: 'the office', bakery: 'the bakery' }[kind]!;
    const ask = say(rng, [
      'We keep running out of things at {place}. Using `{base}/stock.csv`, work out what I should reorder this week.',
      'Can you prepare the purchase list for {place}? Stock levels are in `{base}/stock.csv` ({k} SKUs).',
      'Please figure out which of the {k} items in `{base}/stock.csv` need reordering, and how many of each.',
      'Time for the weekly stock check at {place} — tell me what to order based on `{base}/stock.csv`.',
      'I need a reorder list for {place} built from `{base}/stock.csv`.',
    ], { place, base, k: rows.length });
    const details: string[] = [];
    const ruleSet: KitRule[] = [];
    const stated = (text: string, ...ids: string[]) => {
      details.push(text);
      for (const id of ids) ruleSet.push({ id, text });
    };
    if (d === 1) stated(say(rng, ['- Reorder an item when `on_hand` is below its `reorder_point`; order its `reorder_qty`.', '- Anything with `on_hand` < `reorder_point` gets reordered, in the quantity `reorder_qty`.']), 'below-reorder-point', 'order-reorder-qty');
    else {
      stated(
        say(rng, [
          '- Reorder point = `daily_usage` × (`lead_time_days`{s}). Reorder when available stock is below it.',
          '- An item needs ordering if available stock < daily_usage × (lead_time_days{s}).',
          '- Compute each reorder point as daily_usage × (lead_time_days{s}); items under it are reordered.',
        ], { s: safety ? ` + ${safety} safety days` : '' }),
        'below-reorder-point', ...(safety ? ['safety-days'] : []),
      );
      stated(
        say(rng, [
          '- Order enough to cover daily_usage × (lead_time_days{s} + {c}) units: order_qty = that target − available.',
          '- The order should bring stock up to daily_usage × (lead_time_days{s} + {c} days of cover); order_qty is the difference.',
        ], { s: safety ? ` + ${safety}` : '', c: cover }),
        'order-up-to-cover',
      );
    }
    if (d >= 3) stated(say(rng, ['- Available = on hand + quantities on `open` POs in `{b}/open_pos.csv` (received POs are already in on_hand).', '- Count incoming stock: add POs with status `open` from `{b}/open_pos.csv`; ignore `received` ones.'], { b: base }), 'add-open-pos', 'skip-received-pos');
    if (d >= 4) stated(say(rng, ['- Suppliers ship in cases: round order_qty up to a multiple of `case_pack`.', '- order_qty must be a whole number of cases (`case_pack`), rounded up.']), 'case-pack');
    if (d >= 5) stated(say(rng, ['- Stock is split over warehouses ({w}): add them up per SKU. Skip `discontinued` items.', '- Sum on_hand over the {w} warehouses; never reorder discontinued SKUs.'], { w: warehouses.join(', ') }), 'sum-warehouses', 'skip-discontinued');
    stated(say(rng, [
      'Write `{out}` with the header `{cols}`, one row per SKU to reorder, sorted by sku.',
      'Save the list as `{out}` (columns `{cols}`), sorted by SKU, only the items that need ordering.',
      'Output: `{out}`, header `{cols}`, ordered by sku; leave out anything that does not need reordering.',
    ], { out, cols: cols.join(',') }), 'sorted-by-sku');
    const instruction = voiced(ctx, ask, details);
    const oracle = (ig: ReadonlySet<string>) => pyOracle(`
base = ${JSON.stringify(base)}
d, safety, cover = ${d}, ${on(ig, 'safety-days') === 'True' ? safety : 0}, ${cover}
items = {}
for r in csv.DictReader(open(base + "/stock.csv")):
    it = items.setdefault(r["sku"], {"name": r["name"], "on": 0, "usage": int(r["daily_usage"]), "lead": int(r["lead_time_days"]), "pack": int(r.get("case_pack") or 1), "status": r.get("status", "active"), "rp": r.get("reorder_point"), "rq": r.get("reorder_qty")})
    if ${on(ig, 'sum-warehouses', d >= 5)} or r.get("warehouse", ${JSON.stringify(warehouses[0])}) == ${JSON.stringify(warehouses[0])}:
        it["on"] += int(r["on_hand"])
if os.path.exists(base + "/open_pos.csv"):
    for r in csv.DictReader(open(base + "/open_pos.csv")):
        if (r["status"] == "open" and ${on(ig, 'add-open-pos')}) or (r["status"] == "received" and not ${on(ig, 'skip-received-pos')}):
            items[r["sku"]]["on"] += int(r["qty"])
rows = []
for sku in (sorted(items) if ${on(ig, 'sorted-by-sku')} else list(items)):
    it = items[sku]
    if it["status"] == "discontinued" and ${on(ig, 'skip-discontinued')}:
        continue
    a = it["on"]
    if d == 1:
        if a < int(it["rp"]) or (a == int(it["rp"]) and not ${on(ig, 'below-reorder-point')}):
            rows.append([sku, it["name"], int(it["rq"]) if ${on(ig, 'order-reorder-qty')} else int(it["rp"])])
        continue
    rp = it["usage"] * (it["lead"] + safety)
    if a > rp or (a == rp and ${on(ig, 'below-reorder-point')}):
        continue
    need = it["usage"] * (it["lead"] + safety + cover) - a if ${on(ig, 'order-up-to-cover')} else rp - a
    q = -(-need // it["pack"]) * it["pack"] if ${on(ig, 'case-pack')} else need
    rows.append([sku, it["name"]] + ([a] if d >= 3 else []) + [q])
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(${JSON.stringify(cols)})
    w.writerows(rows)
`);
    const solution = oracle(new Set());
    const mutants = [
      ...ruleMutants(ruleSet, oracle),
      shortcutMutant('every-sku', 'lists every SKU, without comparing stock with the reorder point', oracle(new Set()).replace('if a > rp or (a == rp and True):', 'if False:').replace('if a < int(it["rp"]) or', 'if True or')),
      variantMutant('quoted-crlf', 'every CSV field quoted, CRLF line endings', solution, csvQuoteAll([out])),
    ];
    const result: FamilyOutput & KitExtras = {
      title: `Reorder list for ${place} (${rows.length} SKUs)`,
      instruction,
      workspace: files,
      solution,
      rules: ruleSet,
      mutants,
      checks: [
        { id: 'csv_shape', type: 'csv', path: out, columns: cols, row_count: truth.length },
        {
          id: 'csv_rows',
          type: 'csv',
          path: out,
          cells: truth.flatMap((t, row) => [
            { row, column: 'sku', equals: t.it.sku },
            ...(d >= 3 ? [{ row, column: 'available', equals: t.a }] : []),
            { row, column: 'order_qty', equals: t.qty },
          ]),
        },
      ],
      operations: ['read and parse CSV files', 'join data from multiple sources', 'apply business rules', 'write CSV output'],
      tags: ['inventory'],
    };
    return result;
  },
};
