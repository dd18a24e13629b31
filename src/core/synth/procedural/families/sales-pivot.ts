/** Analysis & Reasoning: pivot an order export into revenue by region × quarter (CSV), with statuses and currencies. */
import type { Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { pad2 } from './calendar.js';
import { cmp, money } from './common.js';
import { csvText } from './csv.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';

const REGIONS = ['APAC', 'EMEA', 'LATAM', 'North America', 'Nordics', 'DACH', 'Benelux', 'Iberia', 'ANZ', 'Middle East'];
const PRODUCTS = ['Starter plan', 'Pro plan', 'Team plan', 'Onboarding package', 'Support add-on', 'API credits', 'Hardware kit', 'Training day', 'Data export', 'Premium seats'];
// Rates to USD with two decimals, so that whole-unit amounts convert to exact cents.
const FX: Record<string, number[]> = { EUR: [108, 110, 112], GBP: [125, 127, 130], CAD: [73, 74, 75], AUD: [65, 66, 67], JPY: [1] };

export const salesPivot: Family = {
  id: 'sales-pivot',
  version: 2,
  category: 'Analysis & Reasoning',
  subcategory: 'table and record handling',
  summary: 'Pivot an order export into revenue per region and quarter (with statuses, currencies, other years); write CSV.',
  domains: ['data', 'finance', 'commerce'],
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const regions = rng.sample(REGIONS, 2 + Math.ceil(d / 2) + rng.int(0, 1)).sort(cmp);
    const year = rng.int(2021, 2025);
    const n = 10 + d * 10 + rng.int(0, 8);
    const currencies = d >= 4 ? ['USD', ...rng.sample(Object.keys(FX), 2)] : ['USD'];
    const rates: Record<string, number> = { USD: 100 };
    for (const c of currencies) if (c !== 'USD') rates[c] = rng.pick(FX[c]!);
    let cents: Record<string, number[]> = {};
    let rows: Array<Array<string | number>> = [];
    const header = ['order_id', 'date', 'region', 'product', 'qty', 'unit_price', ...(d >= 3 ? ['status'] : []), ...(d >= 4 ? ['currency'] : [])];
    // A region that opened after Q1 always has an empty quarter (so "0.00" is asked for somewhere).
    const late = rng.pick(regions);
    // Draw orders until every stated rule changes a cell: an order in a quarter's last month, one that is not
    // completed, a converted one, one from another year, and regions that do not first appear A–Z.
    for (let attempt = 0; ; attempt++) {
      cents = Object.fromEntries(regions.map((r) => [r, [0, 0, 0, 0]]));
      rows = [];
      const seen = { quarterEnd: false, notCompleted: false, converted: false, otherYear: false, qty: false };
      for (let i = 0; i < n; i++) {
        const otherYear = d >= 5 && rng.chance(0.12);
        const yy = otherYear ? year + rng.pick([-1, 1]) : year;
        const region = rng.pick(regions);
        const mm = region === late ? rng.int(4, 12) : rng.int(1, 12);
        const date = `${yy}-${pad2(mm)}-${pad2(rng.int(1, 28))}`;
        const cur = rng.pick(currencies);
        const qty = rng.int(1, d >= 2 ? 40 : 12);
        // USD prices carry cents; other currencies are whole units so conversion is exact.
        const unit = cur === 'USD' ? rng.int(500, 99_999) : rng.int(5, 900) * 100;
        const status = d >= 3 ? (rng.chance(0.78) ? 'completed' : rng.pick(['refunded', 'cancelled', 'pending'])) : 'completed';
        const counted = !otherYear && status === 'completed';
        const usdCents = (qty * unit * rates[cur]!) / 100;
        if (counted) {
          cents[region]![Math.floor((mm - 1) / 3)]! += usdCents;
          if (mm % 3 === 0) seen.quarterEnd = true;
          if (cur !== 'USD') seen.converted = true;
          if (qty > 1) seen.qty = true;
        }
        if (!otherYear && status !== 'completed') seen.notCompleted = true;
        if (otherYear && status === 'completed') seen.otherYear = true;
        rows.push([`SO-${year}-${String(1000 + i * 7 + rng.int(0, 6)).padStart(5, '0')}`, date, region, rng.pick(PRODUCTS), qty, cur === 'USD' ? money(unit) : String(unit / 100), ...(d >= 3 ? [status] : []), ...(d >= 4 ? [cur] : [])]);
      }
      const firstSeen = [...new Set(rows.map((r) => String(r[2])))];
      if (seen.quarterEnd && seen.qty && JSON.stringify(firstSeen) !== JSON.stringify([...firstSeen].sort(cmp)) && (d < 3 || seen.notCompleted) && (d < 4 || seen.converted) && (d < 5 || seen.otherYear)) break;
      if (attempt > 500) throw new Error('sales-pivot: no export exercises every rule');
    }
    const files: Record<string, string> = {};
    const src = rng.pick(['data/orders.csv', 'exports/sales_orders.csv', 'crm/orders_export.csv']);
    files[src] = csvText(header, rows);
    const fxPath = 'data/fx_rates.csv';
    if (d >= 4) files[fxPath] = csvText(['currency', 'usd_per_unit'], currencies.filter((c) => c !== 'USD').map((c) => [c, (rates[c]! / 100).toFixed(2)]));
    const out = rng.pick(['reports/revenue_pivot.csv', 'pivot.csv', 'out/region_quarter.csv', `reports/revenue_${year}.csv`]);
    const cols = ['region', 'Q1', 'Q2', 'Q3', 'Q4', 'total'];
    const withTotalRow = d >= 2;
    const ask = say(rng, [
      'I need a revenue pivot for {year}: regions down the side, quarters across. The orders are in `{src}` ({n} rows).',
      'Could you turn `{src}` into a region × quarter revenue table for {year}?',
      'For the {year} board pack, please summarise `{src}` by region and quarter.',
      'Build me a quarterly revenue breakdown per region from `{src}` (calendar year {year}).',
      'Finance wants {year} revenue by region and quarter — source is `{src}`.',
    ], { year, src, n });
    const details: string[] = [];
    const rules: Rule[] = [];
    const state = (id: string, line: string) => {
      details.push(line);
      rules.push({ id, text: line.replace(/^- /, '') });
    };
    state('revenue', say(rng, ['- Revenue of an order = `qty` × `unit_price`.', '- An order is worth qty times unit_price.', '- Multiply `qty` by `unit_price` for each order\'s revenue.']));
    state('calendar-quarters', say(rng, ['- Quarters are calendar quarters (Q1 = Jan–Mar, …).', '- Q1 is January to March, Q2 April to June, and so on.']));
    if (d >= 3) state('completed-only', say(rng, ['- Only `completed` orders count (not refunded, cancelled or pending).', '- Ignore any order whose status is not `completed`.']));
    if (d >= 4) state('fx', say(rng, ['- Prices are in the order\'s `currency`; convert to USD with `{fx}` (USD per unit).', '- Convert non-USD orders to USD using the rates in `{fx}`.'], { fx: fxPath }));
    if (d >= 5) state('year-only', say(rng, ['- The export also has orders from other years; leave them out.', '- Only {year}-dated orders belong in the table.'], { year }));
    details.push(
      say(rng, [
        'Write `{out}` with the header `{cols}`, one row per region (alphabetical){tot}. Amounts in USD with two decimals; 0.00 where a region had no sales in a quarter.',
        'Save it as `{out}` — columns `{cols}`, regions sorted A–Z{tot}; USD, 2 decimals, zeros for empty quarters.',
        'Output `{out}` (header `{cols}`): a row per region in alphabetical order{tot}, values in USD rounded to cents (0.00 if nothing).',
      ], { out, cols: cols.join(','), tot: withTotalRow ? ', then a final `TOTAL` row with the column sums' : '' }),
    );
    rules.push({ id: 'alphabetical', text: 'one row per region, in alphabetical order' }, { id: 'zero-quarters', text: '0.00 where a region had no sales in a quarter' });
    if (withTotalRow) rules.push({ id: 'total-row', text: 'a final `TOTAL` row with the column sums' });
    const instruction = voiced(ctx, ask, details);
    const solution = pyOracle(`
${SKIP_LINE}
from decimal import Decimal
rates = {"USD": Decimal(1)}
if os.path.exists(${JSON.stringify(fxPath)}) and "fx" not in SKIP:
    for r in csv.DictReader(open(${JSON.stringify(fxPath)})):
        rates[r["currency"]] = Decimal(r["usd_per_unit"])
piv = {}
for r in csv.DictReader(open(${JSON.stringify(src)})):
    piv.setdefault(r["region"], [Decimal(0)] * 4)
    if r.get("status", "completed") != "completed" and "completed-only" not in SKIP:
        continue
    if not r["date"].startswith("${year}-") and "year-only" not in SKIP:
        continue
    m = int(r["date"][5:7])
    q = min(m // 3, 3) if "calendar-quarters" in SKIP else 0 if "no-quarters" in SKIP else (m - 1) // 3
    qty = 1 if "revenue" in SKIP else int(r["qty"])
    piv[r["region"]][q] += qty * Decimal(r["unit_price"]) * rates.get(r.get("currency", "USD"), Decimal(1))
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
fmt = lambda v: "" if v == 0 and "zero-quarters" in SKIP else "%.2f" % v
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(${JSON.stringify(cols)})
    tot = [Decimal(0)] * 4
    for reg in (list(piv) if "alphabetical" in SKIP else sorted(piv)):
        v = piv[reg]
        tot = [a + b for a, b in zip(tot, v)]
        w.writerow([reg] + [fmt(x) for x in v] + [fmt(sum(v))])
    if ${withTotalRow ? 'True' : 'False'} and "total-row" not in SKIP:
        w.writerow(["TOTAL"] + [fmt(x) for x in tot] + [fmt(sum(tot))])
`);
    const ignoring: Record<string, string> = {
      revenue: 'sums unit prices without multiplying by qty',
      'calendar-quarters': 'puts a quarter\'s last month into the next quarter',
      'completed-only': 'counts refunded, cancelled and pending orders',
      fx: 'adds foreign-currency prices as if they were USD',
      'year-only': 'counts orders from other years',
      alphabetical: 'lists regions in the order they first appear',
      'zero-quarters': 'leaves empty quarters blank',
      'total-row': 'leaves out the TOTAL row',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'no-quarters', kind: 'wrong', shortcut: 'puts each region\'s whole-year revenue in Q1', description: 'no quarter split', solution: skipping(solution, 'no-quarters') },
      {
        id: 'plain-numbers-quoted',
        kind: 'variant',
        description: 'amounts without trailing zeros (1234.5, 0), every field quoted',
        solution: thenPython(solution, `
out = ${JSON.stringify(out)}
rows = list(csv.reader(open(out, newline="")))
plain = lambda c: (c.rstrip("0").rstrip(".") if "." in c else c) or "0"
rows = [rows[0]] + [[r[0]] + [plain(c) for c in r[1:]] for r in rows[1:]]
with open(out, "w", newline="") as f:
    csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\\n").writerows(rows)
`),
      },
    ];
    const regionRows = regions.filter((r) => rows.some((x) => x[2] === r));
    const table = regionRows.map((r) => ({ region: r, q: cents[r]! }));
    if (withTotalRow) table.push({ region: 'TOTAL', q: [0, 1, 2, 3].map((k) => regionRows.reduce((a, r) => a + cents[r]![k]!, 0)) });
    return {
      title: `Revenue by region and quarter, ${year}`,
      instruction,
      workspace: files,
      solution,
      checks: [
        { id: 'csv_shape', type: 'csv', path: out, columns: cols, row_count: table.length },
        {
          id: 'csv_values',
          type: 'csv',
          path: out,
          cells: table.flatMap((t, row) => [
            { row, column: 'region', equals: t.region },
            ...t.q.map((v, k) => ({ row, column: `Q${k + 1}`, equals: Math.round(v) / 100 })),
            { row, column: 'total', equals: Math.round(t.q.reduce((a, b) => a + b, 0)) / 100 },
          ]),
        },
      ],
      rules,
      mutants,
      operations: ['read and parse CSV files', 'aggregate and summarize data', 'convert units or currencies', 'write CSV output'],
      tags: ['sales', 'pivot'],
    };
  },
};
