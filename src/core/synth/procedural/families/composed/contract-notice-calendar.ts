/**
 * Planning & Knowledge: read a contract register with three date formats → compute each
 * auto-renewing contract's notice deadline (end − notice days, a weekend moved back to Friday)
 * → keep those due in the coming window → a deadlines CSV and a calendar (.ics) of reminders.
 */
import type { CheckInput, Family } from '../../family.js';
import { clutter, cmp, csvOf, dayNum, dow, fromDayNum, iso, MONTH_NAMES, pad2, put, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';
import { SHORT_NAMES } from '../names.js';

const VENDORS = ['Acme Cloud', 'Brightdesk', 'CleanCo Facilities', 'DataVault', 'Evergreen Leasing', 'FleetPro', 'Globex Telecom', 'Helix Security', 'InkWorks Print', 'Juno Payroll', 'Keystone Insurance', 'Lumen CRM', 'Metro Parking', 'Nimbus Backup', 'Orbit Travel'];

interface Contract {
  vendor: string;
  end: number;
  notice: number;
  auto: boolean;
  owner: string;
  fmt: 'iso' | 'dmy' | 'long';
}
type Skip = 'date-formats' | 'weekend' | 'auto-renew' | 'window' | 'archive';

export const contractNoticeCalendar: Family = {
  id: 'contract-notice-calendar',
  version: 1,
  category: 'Planning & Knowledge',
  subcategory: 'calendar and scheduling',
  summary: 'Parse a contract register in mixed date formats, compute notice deadlines (weekends back to Friday), keep the coming window, write a deadlines CSV and an .ics calendar.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const y = rng.int(2024, 2026);
    const today = dayNum(y, rng.int(1, 10), rng.int(1, 28));
    const horizon = 60;
    const n = Math.min(VENDORS.length, 6 + d * 2);
    const vendors = rng.sample(VENDORS, n);
    const mk = (vendor: string, notice: number, due: number, auto = true): Contract => ({ vendor, end: due + notice, notice, auto, owner: rng.pick(SHORT_NAMES), fmt: rng.pick(['iso', 'dmy', 'long'] as const) });
    const weekday = (x: number) => {
      const [a, b, c] = fromDayNum(x);
      return dow(a, b, c);
    };
    const nextWeekday = (x: number, want: (w: number) => boolean) => {
      while (!want(weekday(x))) x++;
      return x;
    };
    const cs: Contract[] = [];
    // Witnesses: a deadline on a weekend, a non-renewing contract in the window, one just past it,
    // one already missed, a day-first date with day ≤ 12.
    cs.push(mk(vendors[0]!, rng.pick([30, 60, 90]), nextWeekday(today + rng.int(5, 40), (w) => w === 5)));
    cs.push(mk(vendors[1]!, 30, today + rng.int(3, 50), false));
    cs.push(mk(vendors[2]!, 90, nextWeekday(today + horizon + rng.int(1, 10), (w) => w < 5)));
    cs.push(mk(vendors[3]!, 60, nextWeekday(today - rng.int(2, 10), (w) => w < 5)));
    const dmyWit = mk(vendors[4]!, 30, nextWeekday(today + rng.int(5, 50), (w) => w < 5));
    dmyWit.fmt = 'dmy';
    cs.push(dmyWit);
    for (const v of vendors.slice(5)) cs.push(mk(v, rng.pick([30, 45, 60, 90]), today + rng.int(-20, 120), rng.chance(0.8)));
    // The day-first witness must read differently month-first: its end day ≤ 12 and ≠ its month.
    for (;;) {
      const [, m, dd] = fromDayNum(dmyWit.end);
      if (dd <= 12 && dd !== m) break;
      dmyWit.end++;
    }
    const fmtDate = (x: number, f: Contract['fmt']) => {
      const [a, b, c] = fromDayNum(x);
      return f === 'iso' ? iso(a, b, c) : f === 'dmy' ? `${pad2(c)}/${pad2(b)}/${a}` : `${MONTH_NAMES[b - 1]} ${c}, ${a}`;
    };
    const shuffled = rng.shuffle(cs);
    const archVendor = rng.pick(['Old Telco', 'Prior Cleaning Ltd', 'Legacy Hosting']);
    const files: Record<string, string> = {
      'contracts/register.csv': csvOf(['vendor', 'end_date', 'notice_days', 'auto_renew', 'owner'], shuffled.map((c) => [c.vendor, fmtDate(c.end, c.fmt), c.notice, c.auto ? 'yes' : 'no', c.owner])),
      'contracts/archive/register_2022.csv': csvOf(['vendor', 'end_date', 'notice_days', 'auto_renew', 'owner'], shuffled.slice(0, 3).map((c) => [`${c.vendor}`, fmtDate(c.end - 365 + 40, 'iso'), c.notice, 'yes', c.owner]).concat([[archVendor, fmtDate(today + 30, 'iso'), 10, 'yes', 'legacy']])),
      'contracts/README.md': 'The register is typed in by hand: end dates are ISO (2025-03-31), day-first (31/03/2025) or spelled out (March 31, 2025). archive/ keeps registers of ended contracts.\n',
      ...clutter(rng, d),
      // One short file per contract, as the legal folder has them (no dates: the register is the source).
      ...Object.fromEntries(cs.map((c) => [`contracts/docs/${c.vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.md`, `# ${c.vendor}\n\nOwner: ${c.owner}\nRenews automatically: ${c.auto ? 'yes' : 'no'}\nNotice period: ${c.notice} days\n`])),
    };
    const misread = (c: Contract) => {
      if (c.fmt !== 'dmy') return c.end;
      const [a, b, dd] = fromDayNum(c.end);
      return dayNum(a, dd, b); // month and day swapped
    };
    const compute = (skip: ReadonlySet<Skip>) => {
      const all = [...cs, ...(skip.has('archive') ? [{ vendor: archVendor, end: today + 30, notice: 10, auto: true, owner: 'legacy', fmt: 'iso' as const }] : [])];
      const rows = all
        .filter((c) => c.auto || skip.has('auto-renew'))
        .map((c) => {
          const end = skip.has('date-formats') ? misread(c) : c.end;
          let by = end - c.notice;
          if (!skip.has('weekend')) while (weekday(by) >= 5) by--;
          return { c, end, by };
        })
        .filter((r) => (skip.has('window') ? r.by <= today + horizon : r.by >= today && r.by <= today + horizon))
        .sort((a, b) => a.by - b.by || cmp(a.c.vendor, b.c.vendor));
      return rows;
    };
    const ds = (x: number) => iso(...fromDayNum(x));
    const ics = (rows: ReturnType<typeof compute>, crlf: boolean) => {
      const nl = crlf ? '\r\n' : '\n';
      return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//contracts//notice//EN', ...rows.flatMap((r) => ['BEGIN:VEVENT', `UID:notice-${r.c.vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@contracts`, `DTSTART;VALUE=DATE:${ds(r.by).replace(/-/g, '')}`, `SUMMARY:Notice deadline: ${r.c.vendor}`, 'END:VEVENT']), 'END:VCALENDAR'].join(nl) + nl;
    };
    const render = (skip: ReadonlySet<Skip>, o: { crlf?: boolean; noIcs?: boolean } = {}) => {
      const rows = compute(skip);
      return sh(
        put('contracts/notice_deadlines.csv', csvOf(['vendor', 'end_date', 'notice_by', 'owner'], rows.map((r) => [r.c.vendor, ds(r.end), ds(r.by), r.c.owner]))),
        o.noIcs ? '' : put('calendar/renewals.ics', ics(rows, !!o.crlf)),
      );
    };
    const truth = compute(new Set());
    const excluded = cs.filter((c) => !truth.some((r) => r.c === c));
    const checks: CheckInput[] = [
      {
        id: 'deadlines',
        type: 'csv',
        path: 'contracts/notice_deadlines.csv',
        columns: ['vendor', 'end_date', 'notice_by', 'owner'],
        row_count: truth.length,
        cells: truth.flatMap((r, i) => [
          { row: i, column: 'vendor', equals: r.c.vendor },
          { row: i, column: 'end_date', equals: ds(r.end) },
          { row: i, column: 'notice_by', equals: ds(r.by) },
        ]),
        weight: 2,
      },
      ...truth.map((r) => ({ id: `ics_${r.c.vendor.replace(/\W+/g, '_')}`, type: 'text_matches' as const, path: 'calendar/renewals.ics', pattern: `DTSTART;VALUE=DATE:${ds(r.by).replace(/-/g, '')}\\r?\\nSUMMARY:Notice deadline: ${r.c.vendor}\\r?$` })),
      { id: 'ics_only_window', type: 'text_not_contains', path: 'calendar/renewals.ics', text: [...excluded.map((c) => `Notice deadline: ${c.vendor}`), `Notice deadline: ${archVendor}`] },
      { id: 'ics_shape', type: 'text_matches', path: 'calendar/renewals.ics', pattern: '^BEGIN:VCALENDAR\\r?\\n[\\s\\S]*^END:VCALENDAR\\r?\\n?$' },
    ];
    const rules: Rule[] = [
      { id: 'date-formats', text: 'End dates are ISO, day-first (31/03/2025) or spelled out.' },
      { id: 'weekend', text: 'A deadline on a Saturday or Sunday moves back to the Friday before.' },
      { id: 'auto-renew', text: 'Only auto-renewing contracts need a notice (the others just end).' },
      { id: 'window', text: `Only deadlines from today (${ds(today)}) to ${horizon} days ahead; missed ones are not listed.` },
      { id: 'archive', text: 'contracts/archive/ holds ended contracts and is not read.' },
    ];
    const ask = say(rng, [
      `I keep missing contract notice periods. From \`contracts/register.csv\`, could you work out which notices are coming up and put them in a calendar?`,
      `Please go through our contract register (\`contracts/register.csv\`) and tell me which renewals I have to act on soon — as a list and as calendar reminders.`,
    ]);
    const paragraphs = [
      say(rng, [
        `Only contracts with \`auto_renew\` = yes need a notice; the rest simply end. The notice deadline is the end date minus \`notice_days\`; if that falls on a Saturday or Sunday, it moves back to the Friday before. The end dates were typed by hand in three styles (ISO, day-first like 31/03/2025, or "March 31, 2025"), and \`contracts/archive/\` is old contracts — skip it.`,
        `Notice by = end date − notice_days, moved back to the previous Friday if it lands on a weekend; only auto-renewing contracts (\`auto_renew\` yes) count. Watch the dates: some are ISO, some day-first (31/03/2025), some spelled out (March 31, 2025). Ignore \`contracts/archive/\`.`,
      ]),
      say(rng, [
        `I want the deadlines from today (${ds(today)}) up to ${horizon} days ahead, both days included — missed ones are gone. Write \`contracts/notice_deadlines.csv\` with \`vendor,end_date,notice_by,owner\` (ISO dates), sorted by notice_by then vendor, and \`calendar/renewals.ics\`: one all-day event per row, \`DTSTART;VALUE=DATE:YYYYMMDD\` on the deadline and \`SUMMARY:Notice deadline: <vendor>\` right after it.`,
        `List what falls between today, ${ds(today)}, and ${horizon} days from now (inclusive; past deadlines are lost) in \`contracts/notice_deadlines.csv\` — columns \`vendor,end_date,notice_by,owner\`, ISO dates, ordered by notice_by, then vendor — and make \`calendar/renewals.ics\` with a VEVENT per deadline: \`DTSTART;VALUE=DATE:YYYYMMDD\` followed by \`SUMMARY:Notice deadline: <vendor>\`.`,
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('csv-only', 'writes the deadline list but no calendar', render(new Set(), { noIcs: true })),
      variant('crlf-ics', 'the calendar with CRLF line ends, as RFC 5545 prefers', render(new Set(), { crlf: true })),
    ];
    return {
      title: 'Contract notice deadlines into a calendar',
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['read and parse CSV files', 'parse and compute dates', 'filter records by criteria', 'write CSV output', 'create calendar files'],
      tags: ['composed', 'dates', 'ics'],
    };
  },
};
