/** Analysis & Reasoning: roll an expense ledger (CSV) up into per-category totals (JSON). */
import type { Family } from '../family.js';
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

export const expenseRollup: Family = {
  id: 'expense-rollup',
  version: 2,
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
    const solution = `#!/usr/bin/env bash
set -euo pipefail
mkdir -p reports
python3 - <<'PY'
import csv, json
totals = {}
grand = 0
with open("data/expenses.csv") as f:
    for row in csv.DictReader(f):
        if ${difficulty >= 3 ? `not row["date"].startswith("${year}-${String(month).padStart(2, '0')}")` : 'False'}:
            continue
        cents = round(float(row["amount"]) * 100)
        totals[row["category"]] = totals.get(row["category"], 0) + cents
        grand += cents
top = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
json.dump({"totals": {k: v / 100 for k, v in totals.items()}, "top_category": top, "grand_total": grand / 100}, open("reports/expense_summary.json", "w"), indent=2)
PY
`;
    return {
      title: `Expense totals by category (${monthName} ${year})`,
      instruction,
      workspace: { 'data/expenses.csv': csv },
      solution,
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
