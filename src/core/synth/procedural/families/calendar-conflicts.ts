/** Productivity & Collaboration: find overlapping events in .ics calendars, as a CSV of conflicting pairs. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { addDays, DOW, pad2, weekday } from './calendar.js';
import { cmp } from './common.js';
import { crowd } from './names.js';
import { say } from './phrasing.js';
import { pyData, pyOracle } from './py-oracle.js';

const MEETINGS = [
  'Design review', 'Standup', '1:1 with {p}', 'Sprint planning', 'Customer call: {c}', 'Hiring sync', 'Budget review', 'Lunch with {p}',
  'Vendor demo: {c}', 'Roadmap workshop', 'Incident postmortem', 'Interview: {p}', 'All-hands', 'Coffee with {p}', 'Quarterly review',
  'Security training', 'Pairing session', 'Board prep', 'Offsite planning', 'Dentist', 'Gym class', 'School pickup', 'Focus block',
];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Hooli', 'Vandelay', 'Stark', 'Wonka', 'Tyrell', 'Soylent', 'Umbrella'];

interface Ev {
  summary: string;
  day: [number, number, number];
  start: number;
  end: number;
  cal: string;
  status?: string;
  allDay?: boolean;
  transparent?: boolean;
  uid: string;
}

const stamp = (day: [number, number, number], min: number) => `${day[0]}${pad2(day[1])}${pad2(day[2])}T${pad2(Math.floor(min / 60))}${pad2(min % 60)}00`;
const iso = (day: [number, number, number]) => `${day[0]}-${pad2(day[1])}-${pad2(day[2])}`;

export const calendarConflicts: Family = {
  id: 'calendar-conflicts',
  version: 1,
  category: 'Productivity & Collaboration',
  subcategory: 'calendar and scheduling',
  summary: 'Find every pair of overlapping events across .ics calendars (skipping cancelled / all-day / free ones); write a CSV.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const folk = crowd(rng, 8);
    // A Monday to start the week.
    let y = rng.int(2024, 2026);
    let m = rng.int(1, 12);
    let day = rng.int(1, 20);
    [y, m, day] = addDays(y, m, day, (7 - weekday(y, m, day)) % 7);
    const ndays = d <= 2 ? 3 : 5;
    const days = Array.from({ length: ndays }, (_, k) => addDays(y, m, day, k));
    const calNames = d >= 4 ? ['work', rng.pick(['personal', 'family', 'side-project'])] : ['work'];
    const nEvents = 5 + d * 3 + rng.int(0, 3);
    const used = new Set<string>();
    const events: Ev[] = [];
    let guard = 0;
    while (events.length < nEvents && guard++ < 500) {
      const summary = rng.pick(MEETINGS).replace('{p}', rng.pick(folk).first).replace('{c}', rng.pick(COMPANIES));
      if (used.has(summary)) continue;
      used.add(summary);
      const dd = rng.pick(days);
      const start = (8 * 60 + rng.int(0, 18) * 30);
      const end = start + rng.pick([30, 30, 45, 60, 60, 90, 120]);
      const cal = calNames.length > 1 && /Dentist|Gym|School|Coffee|Lunch/.test(summary) ? calNames[1]! : rng.pick(calNames);
      events.push({ summary, day: dd, start, end, cal, uid: `${events.length + 1}-${rng.int(100000, 999999)}@cal` });
    }
    // Distractors that never count: cancelled (d3+), all-day (d2+), free/transparent (d5).
    const distract: Ev[] = [];
    if (d >= 2) distract.push({ summary: rng.pick(['Company holiday', 'Conference day', 'Release freeze', 'Team offsite']), day: rng.pick(days), start: 0, end: 0, cal: 'work', allDay: true, uid: `ad-${rng.int(1000, 9999)}@cal` });
    if (d >= 3) {
      for (let k = 0; k < 1 + (d >= 4 ? 1 : 0); k++) {
        const base = rng.pick(events);
        distract.push({ summary: `${rng.pick(['Sync', 'Check-in', 'Review'])} (moved) #${k + 1}`, day: base.day, start: base.start, end: base.end + 30, cal: base.cal, status: 'CANCELLED', uid: `cx-${k}-${rng.int(1000, 9999)}@cal` });
      }
    }
    if (d >= 5) {
      const base = rng.pick(events);
      distract.push({ summary: 'Hold: travel buffer', day: base.day, start: base.start, end: base.end, cal: base.cal, transparent: true, uid: `tr-${rng.int(1000, 9999)}@cal` });
    }
    // Make sure there is at least one conflict.
    const overlaps = (a: Ev, b: Ev) => iso(a.day) === iso(b.day) && a.start < b.end && b.start < a.end;
    const pairsOf = (evs: Ev[]) => {
      const sorted = [...evs].sort((a, b) => cmp(iso(a.day), iso(b.day)) || a.start - b.start || cmp(a.summary, b.summary));
      const out: Array<[Ev, Ev]> = [];
      for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) if (overlaps(sorted[i]!, sorted[j]!)) out.push([sorted[i]!, sorted[j]!]);
      return out.sort(([a1, b1], [a2, b2]) => cmp(iso(a1.day), iso(a2.day)) || a1.start - a2.start || cmp(a1.summary, a2.summary) || cmp(b1.summary, b2.summary));
    };
    if (!pairsOf(events).length) {
      const a = events[0]!;
      const b = events[1]!;
      b.day = a.day;
      b.start = a.start + 30 < a.end ? a.start + 30 : a.start;
      b.end = Math.max(b.end, b.start + 30);
    }
    // Back-to-back (end == start) is not a conflict: add one such pair as an edge case from d3.
    if (d >= 3) {
      const a = rng.pick(events);
      if (a.end <= 17 * 60) events.push({ summary: `${rng.pick(['Follow-up', 'Debrief', 'Handover'])} after ${a.summary}`, day: a.day, start: a.end, end: a.end + 30, cal: a.cal, uid: `bb-${rng.int(1000, 9999)}@cal` });
    }
    const pairs = pairsOf(events);
    const withMin = d >= 3;
    const files: Record<string, string> = {};
    const all = rng.shuffle([...events, ...distract]);
    for (const cal of calNames) {
      const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//${rng.pick(['Fastmail', 'Proton', 'Nextcloud', 'Thunderbird'])}//EN`, `X-WR-CALNAME:${cal}`];
      for (const e of all.filter((x) => x.cal === cal)) {
        lines.push('BEGIN:VEVENT', `UID:${e.uid}`, `SUMMARY:${e.summary}`);
        if (e.allDay) lines.push(`DTSTART;VALUE=DATE:${iso(e.day).replace(/-/g, '')}`, `DTEND;VALUE=DATE:${iso(addDays(...e.day, 1)).replace(/-/g, '')}`);
        else lines.push(`DTSTART:${stamp(e.day, e.start)}`, `DTEND:${stamp(e.day, e.end)}`);
        if (e.status) lines.push(`STATUS:${e.status}`);
        else if (d >= 3 && rng.chance(0.5)) lines.push('STATUS:CONFIRMED');
        if (e.transparent) lines.push('TRANSP:TRANSPARENT');
        lines.push('END:VEVENT');
      }
      lines.push('END:VCALENDAR');
      files[`calendar/${cal}.ics`] = lines.join('\r\n') + '\r\n';
    }
    const out = rng.pick(['conflicts.csv', 'reports/conflicts.csv', 'calendar_conflicts.csv', 'out/overlaps.csv']);
    const cols = ['date', 'first', 'second', ...(withMin ? ['overlap_minutes'] : [])];
    const skip: string[] = [];
    if (d >= 2) skip.push('all-day events');
    if (d >= 3) skip.push('cancelled events (`STATUS:CANCELLED`)');
    if (d >= 5) skip.push('events marked free (`TRANSP:TRANSPARENT`)');
    const calDesc = calNames.length > 1 ? calNames.map((c) => `\`calendar/${c}.ics\``).join(' and ') : '`calendar/work.ics`';
    const weekOf = `${DOW[0]} ${iso(days[0]!)}`;
    const ask = say(rng, [
      'I keep getting double-booked. Can you find every clash in {cal} for the week of {week}?',
      'Please check {cal} and list all the pairs of events that overlap between {week} and {last}.',
      'My calendar ({cal}) looks overbooked for the {n} days starting {week} — find the conflicts.',
      'Could you go through {cal} ({count} entries, {week} onwards) and tell me which meetings collide?',
      'Find the scheduling conflicts in {cal} for {week}–{last}; I need to decline a few things.',
    ], { cal: calDesc, week: weekOf, n: ndays, last: iso(days[ndays - 1]!), count: events.length + distract.length });
    const instruction = voiced(ctx, ask, [
      say(rng, [
        'Two events conflict when their times overlap on the same day; one ending exactly when the other starts is fine.',
        'Overlap means they share at least one minute (back-to-back meetings are OK). Times are local, no time zones.',
        'Count a conflict only if the time ranges really overlap — an event that starts the minute another ends does not clash.',
      ]),
      ...(skip.length ? [say(rng, ['Ignore {s}.', 'Leave out {s}.', 'Do not count {s}.'], { s: skip.join(', ') })] : []),
      say(rng, [
        'Write `{out}` with the header `{cols}`: one row per conflicting pair; `first` is the event that starts earlier (same start: alphabetical by title) and `second` the other, both by their SUMMARY text; date as YYYY-MM-DD.',
        'Save the pairs to `{out}` (header `{cols}`). In each row put the earlier-starting event in `first` (ties: alphabetical title), the later one in `second`; use the SUMMARY titles and an ISO date.',
        'Output: `{out}`, columns `{cols}`; each clash once, `first` = the one that starts first (tie → alphabetical), `second` = the other, titles exactly as in SUMMARY, dates YYYY-MM-DD.',
      ], { out, cols: cols.join(',') }),
      say(rng, [
        'Order rows by date, then by the start time of `first`, then `first`, then `second`.',
        'Sort: date, then when `first` starts, then titles (first, then second).',
        'Rows sorted by date, `first`\'s start time, and then alphabetically by `first` and `second`.',
      ]) + (withMin ? ' `overlap_minutes` is how many minutes the two overlap.' : ''),
    ]);
    const solution = pyOracle(`
evs = []
for path in sorted(glob.glob("calendar/*.ics")):
    cur = None
    for line in open(path, encoding="utf-8").read().splitlines():
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line == "END:VEVENT":
            evs.append(cur)
            cur = None
        elif cur is not None and ":" in line:
            k, v = line.split(":", 1)
            cur[k] = v
def mins(s):
    t = s.split("T")[1]
    return int(t[:2]) * 60 + int(t[2:4])
keep = []
for e in evs:
    if "DTSTART" not in e or e.get("STATUS") == "CANCELLED" or e.get("TRANSP") == "TRANSPARENT":
        continue
    day = e["DTSTART"].split("T")[0]
    keep.append((day[:4] + "-" + day[4:6] + "-" + day[6:], mins(e["DTSTART"]), mins(e["DTEND"]), e["SUMMARY"]))
keep.sort(key=lambda e: (e[0], e[1], e[3]))
rows = []
for i in range(len(keep)):
    for j in range(i + 1, len(keep)):
        a, b = keep[i], keep[j]
        if a[0] == b[0] and a[1] < b[2] and b[1] < a[2]:
            rows.append((a[0], a[1], a[3], b[3], min(a[2], b[2]) - max(a[1], b[1])))
rows.sort()
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(${pyData(cols)})
    for r in rows:
        w.writerow([r[0], r[2], r[3]] + ([r[4]] if ${withMin ? 'True' : 'False'} else []))
`);
    return {
      title: `Find overlapping events in ${calNames.length} calendar${calNames.length > 1 ? 's' : ''}`,
      instruction,
      workspace: files,
      solution,
      checks: [
        { id: 'csv_shape', type: 'csv', path: out, columns: cols, row_count: pairs.length },
        {
          id: 'csv_rows',
          type: 'csv',
          path: out,
          cells: pairs.flatMap(([a, b], row) => [
            { row, column: 'date', equals: iso(a.day) },
            { row, column: 'first', equals: a.summary },
            { row, column: 'second', equals: b.summary },
            ...(withMin ? [{ row, column: 'overlap_minutes', equals: Math.min(a.end, b.end) - Math.max(a.start, b.start) }] : []),
          ]),
        },
      ],
      operations: ['read local text files', 'compare and reconcile records', 'write CSV output'],
      tags: ['calendar', 'ics'],
    };
  },
};
