/** Analysis & Reasoning: pivot an order export into revenue by region × quarter (CSV), with statuses and currencies. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { pad2 } from './calendar.js';
import { cmp, money } from './common.js';
import { csvText } from './csv.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const REGIONS = ['APAC', 'EMEA', 'LATAM', 'North America', 'Nordics', 'DACH', 'Benelux', 'Iberia', 'ANZ', 'Middle East'];
const PRODUCTS = ['Starter plan', 'Pro plan', 'Team plan', 'Onboarding package', 'Support add-on', 'API credits', 'Hardware kit', 'Training day', 'Data export', 'Premium seats'];
// Rates to USD with two decimals, so that whole-unit amounts convert to exact cents.
const FX: Record<string, number[]> = { EUR: [108, 110, 112], GBP: [125, 127, 130], CAD: [73, 74, 75], AUD: [65, 66, 67], JPY: [1] };

export const salesPivot: Family = {
  id: 'sales-pivot',
  version: 1,
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
    const cents: Record<string, number[]> = Object.fromEntries(regions.map((r) => [r, [0, 0, 0, 0]]));
    const rows: Array<Array<string | number>> = [];
    const header = ['order_id', 'date', 'region', 'product', 'qty', 'unit_price', ...(d >= 3 ? ['status'] : []), ...(d >= 4 ? ['currency'] : [])];
    for (let i = 0; i < n; i++) {
      const otherYear = d >= 5 && rng.chance(0.12);
      const yy = otherYear ? year + rng.pick([-1, 1]) : year;
      const mm = rng.int(1, 12);
      const date = `${yy}-${pad2(mm)}-${pad2(rng.int(1, 28))}`;
      const region = rng.pick(regions);
      const cur = rng.pick(currencies);
      const qty = rng.int(1, d >= 2 ? 40 : 12);
      // USD prices carry cents; other currencies are whole units so conversion is exact.
      const unit = cur === 'USD' ? rng.int(500, 99_999) : rng.int(5, 900) * 100;
      const status = d >= 3 ? (rng.chance(0.78) ? 'completed' : rng.pick(['refunded', 'cancelled', 'pending'])) : 'completed';
      const counted = !otherYear && status === 'completed';
      const usdCents = (qty * unit * rates[cur]!) / 100;
      if (counted) cents[region]![Math.floor((mm - 1) / 3)]! += usdCents;
      rows.push([`SO-${year}-${String(1000 + i * 7 + rng.int(0, 6)).padStart(5, '0')}`, date, region, rng.pick(PRODUCTS), qty, cur === 'USD' ? money(unit) : String(unit / 100), ...(d >= 3 ? [status] : []), ...(d >= 4 ? [cur] : [])]);
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
    const details = [
      say(rng, ['- Revenue of an order = `qty` × `unit_price`.', '- An order is worth qty times unit_price.', '- Multiply `qty` by `unit_price` for each order\'s revenue.']),
      say(rng, ['- Quarters are calendar quarters (Q1 = Jan–Mar, …).', '- Q1 is January to March, Q2 April to June, and so on.']),
    ];
    if (d >= 3) details.push(say(rng, ['- Only `completed` orders count (not refunded, cancelled or pending).', '- Ignore any order whose status is not `completed`.']));
    if (d >= 4) details.push(say(rng, ['- Prices are in the order\'s `currency`; convert to USD with `{fx}` (USD per unit).', '- Convert non-USD orders to USD using the rates in `{fx}`.'], { fx: fxPath }));
    if (d >= 5) details.push(say(rng, ['- The export also has orders from other years; leave them out.', '- Only {year}-dated orders belong in the table.'], { year }));
    details.push(
      say(rng, [
        'Write `{out}` with the header `{cols}`, one row per region (alphabetical){tot}. Amounts in USD with two decimals; 0.00 where a region had no sales in a quarter.',
        'Save it as `{out}` — columns `{cols}`, regions sorted A–Z{tot}; USD, 2 decimals, zeros for empty quarters.',
        'Output `{out}` (header `{cols}`): a row per region in alphabetical order{tot}, values in USD rounded to cents (0.00 if nothing).',
      ], { out, cols: cols.join(','), tot: withTotalRow ? ', then a final `TOTAL` row with the column sums' : '' }),
    );
    const instruction = voiced(ctx, ask, details);
    const solution = pyOracle(`
from decimal import Decimal
rates = {"USD": Decimal(1)}
if os.path.exists(${JSON.stringify(fxPath)}):
    for r in csv.DictReader(open(${JSON.stringify(fxPath)})):
        rates[r["currency"]] = Decimal(r["usd_per_unit"])
piv = {}
for r in csv.DictReader(open(${JSON.stringify(src)})):
    piv.setdefault(r["region"], [Decimal(0)] * 4)
    if r.get("status", "completed") != "completed" or not r["date"].startswith("${year}-"):
        continue
    q = (int(r["date"][5:7]) - 1) // 3
    piv[r["region"]][q] += int(r["qty"]) * Decimal(r["unit_price"]) * rates[r.get("currency", "USD")]
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
fmt = lambda v: "%.2f" % v
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(${JSON.stringify(cols)})
    tot = [Decimal(0)] * 4
    for reg in sorted(piv):
        v = piv[reg]
        tot = [a + b for a, b in zip(tot, v)]
        w.writerow([reg] + [fmt(x) for x in v] + [fmt(sum(v))])
    if ${withTotalRow ? 'True' : 'False'}:
        w.writerow(["TOTAL"] + [fmt(x) for x in tot] + [fmt(sum(tot))])
`);
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
      operations: ['read and parse CSV files', 'aggregate and summarize data', 'convert units or currencies', 'write CSV output'],
      tags: ['sales', 'pivot'],
    };
  },
};
