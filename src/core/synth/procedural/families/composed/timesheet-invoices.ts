/**
 * Productivity & Collaboration: gather a month of timesheets (CSV with decimal hours, a text log
 * with 7h30-style durations) → billable hours per client → amounts at the rate in force on each
 * day (a rate changes mid-month) → the month's invoice summary and new rows in the invoice register.
 */
import type { CheckInput, Family } from '../../family.js';
import { cents2, clutter, cmp, csvOf, daysIn, iso, json, MONTH_NAMES, pad2, put, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';
import { SHORT_NAMES } from '../names.js';

const CLIENTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];

interface Entry {
  who: string;
  day: number;
  month: number;
  client: string;
  mins: number;
  billable: boolean;
}
type Skip = 'durations' | 'billable' | 'rate-change' | 'month' | 'numbering';

export const timesheetInvoices: Family = {
  id: 'timesheet-invoices',
  version: 1,
  category: 'Productivity & Collaboration',
  subcategory: 'time tracking and reporting',
  summary: 'Gather timesheets in two formats, keep billable hours of the month, price them at the rate in force each day, write the invoice summary and extend the invoice register.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const y = rng.int(2024, 2026);
    const m = rng.int(2, 11);
    const ym = `${y}-${pad2(m)}`;
    const last = daysIn(y, m);
    const people = rng.sample(SHORT_NAMES, 2 + Math.min(3, d));
    const clients = rng.sample(CLIENTS, 2 + Math.min(2, Math.floor(d / 2)));
    const textPerson = people[people.length - 1]!;
    const changeDay = rng.int(10, 20);
    const rates = clients.map((c) => ({ client: c, old: rng.int(8, 16) * 500, next: rng.int(17, 24) * 500 }));
    const changed = rates[0]!; // the first client's rate changes mid-month
    const entries: Entry[] = [];
    for (const who of people) {
      for (let i = 0; i < 5 + d * 2; i++) entries.push({ who, day: rng.int(1, last), month: m, client: rng.pick(clients), mins: rng.int(2, 16) * 15, billable: rng.chance(0.85) });
    }
    // Witnesses: a text-log entry with minutes, non-billable time, days on both sides of the rate
    // change, a stray entry from the next month.
    entries.push({ who: textPerson, day: rng.int(1, last), month: m, client: clients[1]!, mins: 7 * 60 + 30, billable: true });
    entries.push({ who: people[0]!, day: rng.int(1, last), month: m, client: clients[0]!, mins: 120, billable: false });
    entries.push({ who: people[0]!, day: changeDay + 1, month: m, client: changed.client, mins: 180, billable: true });
    entries.push({ who: people[1]!, day: changeDay - 1, month: m, client: changed.client, mins: 150, billable: true });
    entries.push({ who: people[0]!, day: 2, month: m + 1, client: clients[1]!, mins: 240, billable: true });
    entries.sort((a, b) => a.month - b.month || a.day - b.day || cmp(a.who, b.who));
    const files: Record<string, string> = {
      'rates.csv': csvOf(['client', 'hourly_rate', 'effective_from'], rates.flatMap((r) => (r === changed ? [[r.client, cents2(r.old), iso(y, 1, 1)], [r.client, cents2(r.next), iso(y, m, changeDay)]] : [[r.client, cents2(r.old), iso(y, 1, 1)]]))),
      'invoices/register.csv': csvOf(['invoice', 'client', 'month', 'amount'], [
        [`INV-${y}-0${rng.int(10, 40)}`, clients[0]!, `${y}-${pad2(m - 1)}`, cents2(rng.int(100_000, 900_000))],
        [`INV-${y}-0${rng.int(41, 60)}`, clients[1]!, `${y}-${pad2(m - 1)}`, cents2(rng.int(100_000, 900_000))],
      ]),
      'timesheets/README.md': `Everyone logs time in timesheets/. Most use the CSV template (decimal hours); ${textPerson} keeps a plain text log (\`YYYY-MM-DD client 7h30 billable|internal\`).\n`,
      ...clutter(rng, d),
    };
    for (const who of people) {
      const mine = entries.filter((e) => e.who === who);
      files[`timesheets/${who}.${who === textPerson ? 'txt' : 'csv'}`] =
        who === textPerson
          ? mine.map((e) => `${iso(y, e.month, e.day)} ${e.client} ${Math.floor(e.mins / 60)}h${e.mins % 60 ? pad2(e.mins % 60) : ''} ${e.billable ? 'billable' : 'internal'}`).join('\n') + '\n'
          : csvOf(['date', 'client', 'hours', 'billable'], mine.map((e) => [iso(y, e.month, e.day), e.client, String(e.mins / 60), e.billable ? 'yes' : 'no']));
    }
    const lastNo = Math.max(...files['invoices/register.csv']!.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]!.split('-')[2])));
    const compute = (skip: ReadonlySet<Skip>) => {
      const by: Record<string, { mins: number; cents: number }> = {};
      for (const e of entries) {
        if (e.month !== m && !skip.has('month')) continue;
        if (!e.billable && !skip.has('billable')) continue;
        const mins = skip.has('durations') && e.who === textPerson && e.mins % 60 ? Math.floor(e.mins / 60) * 60 : e.mins; // "7h30" read as 7
        const r = rates.find((x) => x.client === e.client)!;
        const rate = r === changed && !skip.has('rate-change') && e.day >= changeDay && e.month === m ? r.next : r === changed && skip.has('rate-change') ? r.next : r.old;
        const x = (by[e.client] ??= { mins: 0, cents: 0 });
        x.mins += mins;
        x.cents += Math.round((rate * mins) / 60);
      }
      return by;
    };
    const truth = compute(new Set());
    const render = (skip: ReadonlySet<Skip>, o: { indent?: number; noRegister?: boolean } = {}) => {
      const by = compute(skip);
      const cl = Object.keys(by).sort(cmp);
      let no = skip.has('numbering') ? 1 : lastNo + 1;
      return sh(
        put(`invoices/${ym}.json`, json(Object.fromEntries(cl.map((c) => [c, { hours: by[c]!.mins / 60, amount: by[c]!.cents / 100 }])), o.indent ?? 2)),
        o.noRegister ? '' : `cat >> invoices/register.csv <<'EOF'\n${cl.map((c) => `INV-${y}-${String(no++).padStart(3, '0')},${c},${ym},${cents2(by[c]!.cents)}`).join('\n')}\nEOF\n`,
      );
    };
    const cl = Object.keys(truth).sort(cmp);
    const regRows = files['invoices/register.csv']!.trim().split('\n').length - 1;
    const checks: CheckInput[] = [
      ...cl.flatMap((c) => [
        { id: `hours_${c}`, type: 'json_path' as const, path: `invoices/${ym}.json`, query: `$.${c}.hours`, equals: truth[c]!.mins / 60, tolerance: 0.001 },
        { id: `amount_${c}`, type: 'json_path' as const, path: `invoices/${ym}.json`, query: `$.${c}.amount`, equals: truth[c]!.cents / 100, tolerance: 0.005 },
      ]),
      {
        id: 'register',
        type: 'csv',
        path: 'invoices/register.csv',
        row_count: regRows + cl.length,
        cells: cl.flatMap((c, i) => [
          { row: regRows + i, column: 'invoice', equals: `INV-${y}-${String(lastNo + 1 + i).padStart(3, '0')}` },
          { row: regRows + i, column: 'client', equals: c },
          { row: regRows + i, column: 'month', equals: ym },
          { row: regRows + i, column: 'amount', equals: truth[c]!.cents / 100 },
        ]),
      },
    ];
    const rules: Rule[] = [
      { id: 'durations', text: `${textPerson}'s text log writes durations like 7h30 (7.5 hours).` },
      { id: 'billable', text: 'Only billable time is invoiced (internal / billable=no is not).' },
      { id: 'rate-change', text: 'Each day is priced at the rate in force that day (rates.csv effective_from).' },
      { id: 'month', text: `Only ${MONTH_NAMES[m - 1]} ${y} is invoiced.` },
      { id: 'numbering', text: 'New invoice numbers continue after the highest one in the register (INV-YYYY-NNN).' },
    ];
    const ask = say(rng, [
      `Could you prepare the ${MONTH_NAMES[m - 1]} ${y} invoices from everyone's timesheets in \`timesheets/\`?`,
      `Month-end billing for ${MONTH_NAMES[m - 1]}: please total the team's billable time per client and get the invoices into the register.`,
    ]);
    const paragraphs = [
      say(rng, [
        `Most timesheets are CSV with decimal hours; ${textPerson} keeps a text log with durations like \`7h30\` (see \`timesheets/README.md\`). Only billable time counts, and only days in ${MONTH_NAMES[m - 1]} ${y} — a few entries already belong to next month. Rates are in \`rates.csv\`: one client's rate changed during the month, so price each day at the rate in force that day (\`effective_from\`).`,
        `Timesheets come as CSV (decimal hours) except ${textPerson}'s text log (\`2h45\`-style durations). Count billable hours of ${MONTH_NAMES[m - 1]} ${y} only (some lines are from next month; internal/non-billable time isn't invoiced), priced with \`rates.csv\` — a rate that changes mid-month applies from its \`effective_from\` day on.`,
      ]),
      say(rng, [
        `Write \`invoices/${ym}.json\`: client → \`{"hours": …, "amount": …}\` (amount to the cent), for each client with billable time. Then append one row per client, alphabetically, to \`invoices/register.csv\` — invoice numbers continue from the highest one there (\`INV-${y}-NNN\`, three digits), month \`${ym}\`, amount with two decimals.`,
        `Output \`invoices/${ym}.json\` mapping each billed client to \`{"hours": total hours, "amount": total in currency, to the cent}\`, and add the invoices to \`invoices/register.csv\`: a row per client in alphabetical order, numbered after the last invoice already in the file (\`INV-${y}-NNN\`), month \`${ym}\`, the amount.`,
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('summary-only', 'writes the month summary but leaves the register alone', render(new Set(), { noRegister: true })),
      variant('indent-4', 'the summary indented with 4 spaces', render(new Set(), { indent: 4 })),
    ];
    return {
      title: `${MONTH_NAMES[m - 1]} ${y} invoices from timesheets`,
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['read and parse CSV files', 'read and parse text files', 'aggregate and summarize data', 'write structured JSON output', 'update structured files in place'],
      tags: ['composed', 'timesheets', 'billing'],
    };
  },
};
