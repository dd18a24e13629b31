/**
 * Analysis & Reasoning: merge card exports in three formats (ISO / German / US with debit and
 * credit columns) → drop the purchases that appear in two exports → total spend per team →
 * update the dashboard JSON (keeping its other widgets) → log the refresh in CHANGES.md.
 */
import type { CheckInput, Family } from '../../family.js';
import { crowd } from '../names.js';
import { centsEu, centsUs, cents2, clutter, cmp, csvOf, daysIn, iso, json, MONTH_NAMES, pad2, put, py, say, sh, shortcut, variant, wrong, request, type ComposedOutput, type Rule } from './kit.js';

const TEAMS = ['design', 'sales', 'platform', 'support', 'marketing', 'data', 'finance'];
const MERCHANTS = ['Uber Trip', 'Figma', 'Deutsche Bahn', 'Pret A Manger', 'AWS', 'Lufthansa', 'Staples', 'Zoom', 'Hilton Hotels', 'Miro', 'Notion', 'Eurostar', 'Slack', 'Coursera', 'IKEA'];

interface Txn {
  day: number;
  month: number; // the report month, or the next one (pending rows)
  who: number;
  merchant: string;
  cents: number; // negative = refund
  src: 'A' | 'B' | 'C';
  dup?: boolean; // a copy of an A row, in B or C
}

type Flag = 'eu-numbers' | 'dedupe' | 'archive' | 'refunds' | 'names' | 'month-only' | 'one-export';

export const cardSpendDashboard: Family = {
  id: 'card-spend-dashboard',
  version: 1,
  category: 'Analysis & Reasoning',
  subcategory: 'table and record handling',
  summary: 'Merge card exports in three formats, drop cross-export duplicates, total spend per team, update a dashboard JSON and its change log.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const y = rng.int(2023, 2025);
    const m = rng.int(1, 11);
    const ym = `${y}-${pad2(m)}`;
    const last = daysIn(y, m);
    const people = crowd(rng, 4 + d * 2);
    const teams = rng.sample(TEAMS, Math.min(TEAMS.length, 2 + Math.ceil(d / 2)));
    const teamOf = people.map((_, i) => teams[i % teams.length]!);
    const sources: Array<'A' | 'B' | 'C'> = d >= 3 ? ['A', 'B', 'C'] : ['A', 'B'];
    const txns: Txn[] = [];
    const key = (t: Txn) => `${t.month}-${t.day}|${t.who}|${t.merchant.toLowerCase()}|${t.cents}`;
    const seen = new Set<string>();
    const add = (t: Txn) => {
      if (seen.has(key(t))) return;
      seen.add(key(t));
      txns.push(t);
    };
    for (const src of sources) {
      const n = 5 + d * 3 + rng.int(0, 3);
      for (let i = 0; i < n; i++) {
        // Amounts over 1,000 appear in every export, so the thousands separator matters.
        const cents = i === 0 ? rng.int(100_000, 400_000) : rng.int(450, 90_000);
        add({ day: rng.int(1, last), month: m, who: rng.int(0, people.length - 1), merchant: rng.pick(MERCHANTS), cents: i === 1 ? -rng.int(500, 8_000) : cents, src });
      }
    }
    // The same purchases show up in the card feed (A) and a bank export.
    const aRows = txns.filter((t) => t.src === 'A' && t.cents > 0);
    for (const t of rng.sample(aRows, 1 + Math.floor(d / 2))) txns.push({ ...t, src: rng.pick(sources.slice(1)), dup: true });
    if (d >= 3) for (let i = 0; i < 1 + Math.floor(d / 3); i++) add({ day: rng.int(1, 3), month: m + 1, who: rng.int(0, people.length - 1), merchant: rng.pick(MERCHANTS), cents: rng.int(2_000, 60_000), src: 'A' });
    const monthName = MONTH_NAMES[m - 1]!;

    const files: Record<string, string> = {};
    const dateOf = (t: Txn) => iso(y, t.month, t.day);
    const inSrc = (s: string) => rng.shuffle(txns.filter((t) => t.src === s)).sort((a, b) => a.month - b.month || a.day - b.day);
    files[`exports/cardfeed_${ym}.csv`] = csvOf(['date', 'cardholder', 'merchant', 'amount'], inSrc('A').map((t) => [dateOf(t), people[t.who]!.full, t.merchant, cents2(t.cents)]));
    files[`exports/sparkasse_${ym}.csv`] = csvOf(
      ['Buchungstag', 'Karteninhaber', 'Haendler', 'Betrag'],
      inSrc('B').map((t) => [`${pad2(t.day)}.${pad2(t.month)}.${y}`, `${people[t.who]!.last}, ${people[t.who]!.first}`, t.merchant, centsEu(t.cents)]),
      ';',
    );
    if (sources.includes('C')) {
      files[`exports/chase_${ym}.csv`] = csvOf(
        ['Posting Date', 'Card Member', 'Description', 'Debit', 'Credit'],
        inSrc('C').map((t) => [`${pad2(t.month)}/${pad2(t.day)}/${y}`, people[t.who]!.full.toUpperCase(), t.merchant.toUpperCase(), t.cents > 0 ? centsUs(t.cents) : '', t.cents < 0 ? centsUs(-t.cents) : '']),
      );
    }
    // A stale draft of the card feed, with different numbers.
    const draft = inSrc('A').slice(0, 4 + d).map((t) => [dateOf(t), people[t.who]!.full, t.merchant, cents2(t.cents + rng.int(100, 5_000))]);
    files[`exports/archive/cardfeed_${ym}_draft.csv`] = csvOf(['date', 'cardholder', 'merchant', 'amount'], draft);
    files['people/teams.csv'] = csvOf(['name', 'team'], people.map((p, i) => [p.full, teamOf[i]!]));
    const otherWidgets: Record<string, unknown> = {
      headcount: { value: people.length + rng.int(10, 40), as_of: iso(y, m, 1) },
      open_roles: { value: rng.int(1, 9) },
      nps: { value: rng.int(20, 70), sample: rng.int(40, 300) },
    };
    const oldSpend = Object.fromEntries(teams.map((t) => [t, rng.int(1_000, 90_000) / 100]));
    const prev = m === 1 ? iso(y - 1, 12, 31) : iso(y, m - 1, daysIn(y, m - 1));
    const dashboard = { title: 'Ops dashboard', updated_through: prev, widgets: { ...otherWidgets, spend_by_team: oldSpend, card_transactions: rng.int(20, 80) } };
    files['dashboard/data.json'] = json(dashboard);
    const changesHead = `# Dashboard changes\n\n- ${prev}: card spend refreshed (${rng.int(20, 70)} transactions, total ${cents2(rng.int(200_000, 900_000))})\n`;
    files['dashboard/CHANGES.md'] = changesHead;
    files['exports/README.txt'] = `Monthly card exports. cardfeed = the corporate card feed, sparkasse = the German account, chase = the US account.\narchive/ holds drafts; the real exports sit directly in exports/.\n`;
    Object.assign(files, clutter(rng, 1 + d));

    // Ground truth, and the same computation with one rule ignored (for the mutants).
    const compute = (skip: ReadonlySet<Flag>) => {
      let rows = txns.filter((t) => !skip.has('one-export') || t.src === 'A');
      if (!skip.has('dedupe')) rows = rows.filter((t) => !t.dup);
      if (!skip.has('month-only')) rows = rows.filter((t) => t.month === m);
      if (skip.has('names')) rows = rows.filter((t) => t.src === 'A'); // "Okafor, Alice" finds no team
      const amount = (t: Txn) => {
        let c = skip.has('refunds') ? Math.abs(t.cents) : t.cents;
        if (skip.has('eu-numbers') && t.src === 'B') c *= 100; // "1.234,50" read as 123450
        return c;
      };
      const extra = skip.has('archive') ? draft.map((r) => ({ date: String(r[0]), who: String(r[1]), cents: Math.round(Number(r[3]) * 100) })) : [];
      const merged = [
        ...rows.map((t) => ({ date: dateOf(t), who: people[t.who]!.full, cents: amount(t) })),
        ...extra,
      ].sort((a, b) => cmp(a.date, b.date) || cmp(a.who, b.who) || a.cents - b.cents);
      const byTeam: Record<string, number> = Object.fromEntries(teams.map((t) => [t, 0]));
      for (const r of merged) byTeam[teamOf[people.findIndex((p) => p.full === r.who)]!]! += r.cents;
      const total = merged.reduce((a, r) => a + r.cents, 0);
      return { merged, byTeam, total };
    };
    const truth = compute(new Set());
    // The stale count must differ from the new one, or nop would score on it.
    if (dashboard.widgets.card_transactions === truth.merged.length) {
      dashboard.widgets.card_transactions += 7;
      files['dashboard/data.json'] = json(dashboard);
    }
    const mergedPath = `work/merged_${ym}.csv`;
    const render = (skip: ReadonlySet<Flag>, o: { indent?: number; reverse?: boolean; keepWidgets?: boolean; dashboard?: boolean } = {}) => {
      const r = compute(skip);
      const rows = o.reverse ? [...r.merged].reverse().sort((a, b) => cmp(a.date, b.date)) : r.merged;
      const spend = Object.fromEntries(Object.entries(r.byTeam).map(([t, c]) => [t, c / 100]));
      const widgets = o.keepWidgets === false ? { spend_by_team: spend, card_transactions: r.merged.length } : { ...otherWidgets, spend_by_team: spend, card_transactions: r.merged.length };
      return [
        put(mergedPath, csvOf(['date', 'cardholder', 'team', 'amount'], rows.map((x) => [x.date, x.who, teamOf[people.findIndex((p) => p.full === x.who)]!, o.indent ? String(x.cents / 100) : cents2(x.cents)]))),
        o.dashboard === false ? '' : put('dashboard/data.json', json({ ...dashboard, updated_through: iso(y, m, last), widgets }, o.indent ?? 2)),
        `printf '%s\\n' '- ${iso(y, m, last)}: card spend for ${monthName} ${y} (${r.merged.length} transactions, total ${cents2(r.total)})' >> dashboard/CHANGES.md\n`,
      ].join('');
    };
    const none = new Set<Flag>();

    const rules: Rule[] = [
      { id: 'eu-numbers', text: 'The Sparkasse export is German-formatted: day.month.year dates, decimal comma, dot for thousands.' },
      { id: 'dedupe', text: 'A purchase in two exports (same date, cardholder, merchant ignoring case, amount) counts once.' },
      { id: 'archive', text: 'exports/archive/ holds drafts and is not counted.' },
      { id: 'refunds', text: 'Refunds (negative amounts, the Credit column) reduce spend.' },
      { id: 'names', text: 'Cardholders are spelled differently per export; teams come from people/teams.csv.' },
      { id: 'keep-widgets', text: 'The dashboard\'s other widgets stay as they are.' },
    ];
    if (d >= 3) rules.push({ id: 'month-only', text: `Only ${monthName} ${y} is counted (the card feed already has pending rows of the next month).` });

    const checks: CheckInput[] = [
      { id: 'merged_rows', type: 'csv', path: mergedPath, columns: ['date', 'cardholder', 'team', 'amount'], row_count: truth.merged.length, sorted_by: { column: 'date', order: 'asc' } },
      ...teams.map((t) => ({ id: `spend_${t}`, type: 'json_path' as const, path: 'dashboard/data.json', query: `$.widgets.spend_by_team.${t}`, equals: truth.byTeam[t]! / 100, tolerance: 0.005 })),
      { id: 'transactions', type: 'json_path', path: 'dashboard/data.json', query: '$.widgets.card_transactions', equals: truth.merged.length },
      { id: 'updated_through', type: 'json_path', path: 'dashboard/data.json', query: '$.updated_through', equals: iso(y, m, last) },
      {
        id: 'other_widgets_kept',
        type: 'command',
        run: py(`d = json.load(open("dashboard/data.json"))\nw = d["widgets"]\nassert d["updated_through"] == ${JSON.stringify(iso(y, m, last))}\nassert all(w.get(k) == v for k, v in json.loads(${JSON.stringify(JSON.stringify(otherWidgets))}).items()), "a widget changed"`),
        description: 'the refreshed dashboard still has its other widgets, unchanged',
      },
      { id: 'changes_line', type: 'text_matches', path: 'dashboard/CHANGES.md', pattern: `^- ${iso(y, m, last)}:.*\\b${truth.merged.length} transactions.*total ${cents2(truth.total).replace('.', '\\.')}\\b` },
      { id: 'exports_untouched', type: 'file_unchanged', path: `exports/sparkasse_${ym}.csv`, weight: 0 },
    ];

    const exportsList = sources.map((s) => `\`exports/${{ A: 'cardfeed', B: 'sparkasse', C: 'chase' }[s]}_${ym}.csv\``).join(', ');
    const ask = say(rng, [
      `I need the ${monthName} card spend on the ops dashboard. The exports are in ${exportsList}, and they never agree on a format, so they have to be merged first.`,
      `Month-end for ${monthName} ${y}: could you merge our card exports (${exportsList}) and refresh the spend numbers on the dashboard?`,
    ]);
    const details = [
      [
        say(rng, [
          'Sparkasse exports German style (day.month.year, `1.234,50` for 1234.50).',
          'Careful with the formats: the Sparkasse file is German (dates day.month.year, amounts like `1.234,50`).',
        ]),
        sources.includes('C') ? say(rng, ['The Chase export splits money into Debit and Credit columns; a credit, like a negative amount elsewhere, is a refund and reduces spend.', 'Chase has separate Debit and Credit columns — credits are refunds, as are negative amounts in the other files, and they count against spend.']) : say(rng, ['Negative amounts are refunds and reduce spend.', 'A negative amount is a refund: it counts against spend.']),
        say(rng, ["Each export writes the cardholder its own way (`Okafor, Alice`, `ALICE OKAFOR`); `people/teams.csv` says who is in which team.", 'Names are written differently in each file; the team for each person is in `people/teams.csv`.']),
      ].join(' '),
      say(rng, [
        'The feed and the bank exports overlap, so one purchase can show up twice: same date, same cardholder, same amount and the same merchant (apart from upper/lower case) means one purchase. `exports/archive/` only has drafts — leave it out.',
        'Some purchases are in two exports; count a purchase once when date, cardholder, merchant (case aside) and amount all match. Ignore the drafts in `exports/archive/`.',
      ]),
      ...(d >= 3 ? [say(rng, [`Only ${monthName} ${y} counts — the card feed already lists a few pending rows from the start of next month.`, `The card feed runs a few days into next month; leave those rows out, only ${monthName} counts.`])] : []),
      say(rng, [
        `Please write the merged purchases to \`${mergedPath}\` with columns \`date,cardholder,team,amount\` (ISO dates, names as in teams.csv, amount a plain number, negative for refunds), sorted by date.`,
        `First the merged list: \`${mergedPath}\`, columns \`date,cardholder,team,amount\` — ISO date, the name as teams.csv spells it, amount as a plain number (refunds negative) — in date order.`,
      ]),
      say(rng, [
        `Then update \`dashboard/data.json\`: \`widgets.spend_by_team\` gets one number per team in teams.csv (rounded to cents, 0 for a team without spend), \`widgets.card_transactions\` the number of purchases, \`updated_through\` ${iso(y, m, last)}. The other widgets stay exactly as they are.`,
        `On \`dashboard/data.json\`, set \`widgets.spend_by_team\` (each team from teams.csv → its net spend, to the cent, 0 if none), \`widgets.card_transactions\` (how many purchases) and \`updated_through\` (${iso(y, m, last)}); don't touch the other widgets.`,
      ]),
      say(rng, [
        `Last, add a line to \`dashboard/CHANGES.md\` like the previous one: \`- ${iso(y, m, last)}: card spend for ${monthName} ${y} (N transactions, total T)\`, with T the total over all teams, two decimals.`,
        `And log it in \`dashboard/CHANGES.md\` in the same style as the existing line: \`- ${iso(y, m, last)}: card spend for ${monthName} ${y} (N transactions, total T)\` (T = the sum of all teams, e.g. 1234.50).`,
      ]),
    ];
    const instruction = request(ctx, ask, details);
    const solution = sh(render(none));
    const mutants = [
      ...rules.map((r) => (r.id === 'keep-widgets' ? wrong('drop-widgets', r.id, 'rewrites the dashboard with only the spend widgets', sh(render(none, { keepWidgets: false }))) : wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, sh(render(new Set([r.id as Flag])))))),
      shortcut('card-feed-only', 'totals only the card feed, without merging the bank exports', sh(render(new Set<Flag>(['one-export'])))),
      shortcut('csv-only', 'merges the exports but never updates the dashboard', sh(render(none, { dashboard: false }))),
      variant('reformatted', 'dashboard indented with 4 spaces, amounts without trailing zeros, same-day rows in another order', sh(render(none, { indent: 4, reverse: true }))),
    ];
    return {
      title: `Card spend for ${monthName} ${y} on the dashboard`,
      instruction,
      workspace: files,
      solution,
      checks,
      rules,
      mutants,
      operations: ['read and parse CSV files', 'clean and normalize data', 'deduplicate records', 'aggregate and summarize data', 'update structured files in place'],
      tags: ['composed', 'csv', 'json'],
    };
  },
};
