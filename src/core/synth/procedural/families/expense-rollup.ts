/** Analysis & Reasoning: roll an expense ledger (CSV) up into per-category totals (JSON). */
import type { Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { cmp, dollars, isoDate, money, MONTHS } from './common.js';
import { say } from './phrasing.js';

const CATEGORIES = ['travel', 'meals', 'software', 'office', 'training', 'hardware', 'marketing', 'utilities'];
const VENDORS: Record<string, string[]> = {
  travel: ['Delta', 'Lufthansa', 'Uber', 'Hilton', 'Amtrak'],
  meals: ['Pret', 'Sweetgreen', 'Blue Bottle', 'Deliveroo'],
  software: ['GitHub', 'Figma', 'Atlassian', 'Notion', 'Slack'],
  office: ['Staples', 'IKEA', 'Amazon Business'],
  training: ['Coursera', 'O\'Reilly', 'Udemy'],
  hardware: ['Dell', 'Apple Store', 'Logitech'],
  marketing: ['Google Ads', 'LinkedIn Ads', 'Mailchimp'],
  utilities: ['Comcast', 'ConEd', 'Verizon'],
};

/** What a solution script does differently from the oracle (all false: the oracle). */
interface Quirks {
  allMonths?: boolean;
  refundsAsSpend?: boolean;
  smallestTop?: boolean;
  wholeUnits?: boolean;
  totalsOnly?: boolean;
  /** Acceptable differences: compact JSON, sorted keys, an extra field, sums rounded as floats. */
  compactExtra?: boolean;
}

function solve(month: string | null, q: Quirks = {}): string {
  const skip = month && !q.allMonths ? `not row["date"].startswith("${month}")` : 'False';
  const cents = q.refundsAsSpend ? 'abs(round(float(row["amount"]) * 100))' : 'round(float(row["amount"]) * 100)';
  const out = q.wholeUnits ? 'round(v / 100)' : q.compactExtra ? 'round(v / 100, 2)' : 'v / 100';
  const order = q.smallestTop ? 'kv[1], kv[0]' : '-kv[1], kv[0]';
  const doc = q.totalsOnly
    ? '{"totals": {k: OUT(v) for k, v in totals.items()}}'
    : `{"totals": {k: OUT(v) for k, v in totals.items()}, "top_category": top, "grand_total": OUT(grand)${q.compactExtra ? ', "rows_counted": counted' : ''}}`;
  const dump = q.compactExtra ? 'json.dump(doc, f, sort_keys=True, separators=(",", ":"))' : 'json.dump(doc, f, indent=2)';
  return `#!/usr/bin/env bash
set -euo pipefail
mkdir -p reports
python3 - <<'PY'
import csv, json
OUT = lambda v: ${out}
totals = {}
grand = 0
counted = 0
with open("data/expenses.csv") as f:
    for row in csv.DictReader(f):
        if ${skip}:
            continue
        cents = ${cents}
        totals[row["category"]] = totals.get(row["category"], 0) + cents
        grand += cents
        counted += 1
top = sorted(totals.items(), key=lambda kv: (${order}))[0][0]
doc = ${doc}
with open("reports/expense_summary.json", "w") as f:
    ${dump}
PY
`;
}

export const expenseRollup: Family = {
  id: 'expense-rollup',
  version: 3,
  category: 'Analysis & Reasoning',
  subcategory: 'table and record handling',
  summary: 'Total an expense ledger per category, find the largest category, write JSON.',
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const cats = rng.sample(CATEGORIES, 2 + difficulty);
    const rows = 8 + difficulty * 10 + rng.int(0, 10);
    const year = rng.int(2022, 2026);
    const month = rng.int(1, 12);
    // Harder levels add refunds (negative amounts) and rows from another month to leave out.
    const lines: Array<{ date: string; vendor: string; category: string; amount: number }> = [];
    for (let i = 0; i < rows; i++) {
      const category = rng.pick(cats);
      const other = difficulty >= 3 && rng.chance(0.15);
      const refund = difficulty >= 4 && rng.chance(0.1);
      const amount = rng.int(300, 250_000) * (refund ? -1 : 1); // cents
      lines.push({ date: isoDate(year, other ? (month % 12) + 1 : month, rng.int(1, 28)), vendor: rng.pick(VENDORS[category]!), category, amount });
    }
    // Every stated rule must change the answer: at least one row from another month, one refund in the month.
    const mm = `${year}-${String(month).padStart(2, '0')}`;
    if (difficulty >= 3 && lines.every((l) => l.date.startsWith(mm))) lines[rng.int(0, lines.length - 1)]!.date = isoDate(year, (month % 12) + 1, rng.int(1, 28));
    if (difficulty >= 4 && !lines.some((l) => l.date.startsWith(mm) && l.amount < 0)) {
      const inside = lines.filter((l) => l.date.startsWith(mm));
      const r = inside[rng.int(0, inside.length - 1)]!;
      r.amount = -Math.abs(r.amount);
    }
    const inMonth = lines.filter((l) => l.date.startsWith(`${year}-${String(month).padStart(2, '0')}`));
    const totals: Record<string, number> = {};
    for (const l of inMonth) totals[l.category] = (totals[l.category] ?? 0) + l.amount;
    const sorted = Object.entries(totals).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
    const grand = inMonth.reduce((a, l) => a + l.amount, 0);
    const monthName = MONTHS[month - 1]!;
    const csv = ['date,vendor,category,amount', ...lines.map((l) => `${l.date},${l.vendor},${l.category},${money(l.amount)}`)].join('\n') + '\n';
    const scope = difficulty >= 3
      ? say(rng, [
          `- Only count ${monthName} ${year}; the file also has a few rows from other months.`,
          `- Rows dated outside ${monthName} ${year} belong to other reports: skip them.`,
          `- Restrict it to ${year}-${String(month).padStart(2, '0')} (there are stray rows from neighbouring months).`,
        ])
      : '';
    const refunds = difficulty >= 4
      ? say(rng, ['- Negative amounts are refunds and reduce the total.', '- Refunds show up as negative amounts; net them off.', '- Keep the sign: a negative amount is money back.'])
      : '';
    const ledger = `\`data/expenses.csv\``;
    const ask = say(rng, [
      `Can you total up our ${monthName} expenses in ${ledger} by category?`,
      `I need the ${monthName} ${year} spend per category from ${ledger} (${rows} rows).`,
      `Please roll up ${ledger} into category totals for ${monthName}.`,
      `Month-end close for ${monthName} ${year}: summarise ${ledger} by expense category, please.`,
      `How much did we spend on ${cats.slice(0, 2).join(', ')} and the rest in ${monthName}? The ledger is ${ledger}.`,
      `Could you crunch ${ledger} (${cats.length} categories) into per-category totals for ${monthName} ${year}?`,
    ]);
    const instruction = voiced(ctx, ask, [
      ...[scope, refunds].filter(Boolean),
      say(rng, [
        'Write the result to `reports/expense_summary.json` with:',
        'Save `reports/expense_summary.json` containing:',
        'Put these keys in `reports/expense_summary.json`:',
      ]),
      say(rng, [
        '- `totals`: an object mapping each category to its total (a number, rounded to cents)',
        '- `totals`: category → total spent (number, 2 decimals)',
        '- `totals` — one entry per category with its summed amount (to the cent)',
      ]),
      say(rng, ['- `top_category`: the category with the largest total', '- `top_category`: whichever category cost the most', '- `top_category` — the biggest category by total']),
      say(rng, ['- `grand_total`: the sum of all counted rows', '- `grand_total`: everything counted, added up', '- `grand_total` — total of all rows you included']),
    ]);
    const scoped = difficulty >= 3 ? mm : null;
    const rules: Rule[] = [
      { id: 'top-is-largest', text: '`top_category` is the category with the largest total' },
      { id: 'to-the-cent', text: 'each total is kept to the cent' },
      ...(difficulty >= 3 ? [{ id: 'only-the-month', text: `only rows dated in ${monthName} ${year} count` }] : []),
      ...(difficulty >= 4 ? [{ id: 'refunds-reduce', text: 'negative amounts are refunds and reduce the total' }] : []),
    ];
    const mutants: Mutant[] = [
      { id: 'smallest-as-top', kind: 'wrong', rule: 'top-is-largest', description: 'names the category with the smallest total as top_category', solution: solve(scoped, { smallestTop: true }) },
      { id: 'whole-units', kind: 'wrong', rule: 'to-the-cent', description: 'rounds every total to whole units', solution: solve(scoped, { wholeUnits: true }) },
      ...(difficulty >= 3 ? [{ id: 'every-month', kind: 'wrong' as const, rule: 'only-the-month', description: 'counts the rows of neighbouring months too', solution: solve(scoped, { allMonths: true }) }] : []),
      ...(difficulty >= 4 ? [{ id: 'refunds-as-spend', kind: 'wrong' as const, rule: 'refunds-reduce', description: 'adds refunds as if they were spend (absolute amounts)', solution: solve(scoped, { refundsAsSpend: true }) }] : []),
      { id: 'totals-only', kind: 'wrong', shortcut: 'writes the per-category totals and stops there', description: 'no top_category or grand_total', solution: solve(scoped, { totalsOnly: true }) },
      { id: 'compact-sorted-extra-field', kind: 'variant', description: 'compact JSON with sorted keys, totals rounded as floats to 2 decimals, an extra rows_counted field', solution: solve(scoped, { compactExtra: true }) },
    ];
    return {
      title: `Expense totals by category (${monthName} ${year})`,
      instruction,
      workspace: { 'data/expenses.csv': csv },
      solution: solve(scoped),
      rules,
      mutants,
      checks: [
        { id: 'summary_exists', type: 'file_exists', path: 'reports/expense_summary.json' },
        ...sorted.map(([cat, total]) => ({ id: `total_${cat}`, type: 'json_path' as const, path: 'reports/expense_summary.json', query: `$.totals.${cat}`, equals: dollars(total), tolerance: 0.005 })),
        { id: 'top_category', type: 'json_path', path: 'reports/expense_summary.json', query: '$.top_category', equals: sorted[0]![0] },
        { id: 'grand_total', type: 'json_path', path: 'reports/expense_summary.json', query: '$.grand_total', equals: dollars(grand), tolerance: 0.005 },
        // Holds on the untouched workspace too, so it must not score (nop scores exactly 0): weight 0, reported only.
        { id: 'ledger_untouched', type: 'file_unchanged', path: 'data/expenses.csv', weight: 0 },
      ],
      operations: ['read and parse CSV files', 'aggregate and summarize data', 'write structured JSON output'],
    };
  },
};
