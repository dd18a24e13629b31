/** Planning & Knowledge: find free meeting slots in one or two .ics calendars within working hours. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { daysInMonth, hhmm, pad2, weekday } from './calendar.js';
import { cmp, isoDate, MONTHS, people } from './common.js';
import { codeList, say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const TITLES = ['Standup', 'Design review', 'Sprint planning', 'Budget sync', 'Customer call', 'Interview: backend candidate', 'Lunch & learn', 'Roadmap workshop', 'Vendor demo', 'Incident review', 'Hiring debrief', 'Architecture council', 'Quarterly planning', 'Pairing session', 'Board prep', 'Training: security basics'];
const SOFT = ['Holiday in Lisbon office (FYI)', 'Release train departs', 'Reminder: submit timesheet', 'Company all-hands (optional stream)'];
const DAYNAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

interface Ev { day: number; start: number; end: number; title: string; kind: 'busy' | 'cancelled' | 'transparent' | 'allday' }

export const icsFreeSlots: Family = {
  id: 'ics-free-slots',
  version: 1,
  category: 'Planning & Knowledge',
  subcategory: 'task planning and decomposition',
  summary: 'Read .ics calendars and list every free slot of at least N minutes within working hours as CSV.',
  domains: ['office'],
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const year = rng.int(2024, 2026);
    const month = rng.int(1, 12);
    // The first Monday on or after a random day, so the week fits in the month.
    let day = rng.int(1, 14);
    while (weekday(year, month, day) !== 0) day++;
    const nDays = [1, 2, 3, 3, 5][difficulty - 1]!;
    const [ws, we]: readonly [number, number] = rng.pick([[540, 1020], [510, 1050], [600, 1080], [480, 960], [570, 1050]] as const);
    const minLen = rng.pick([30, 45, 60, 90]);
    let owners = people(rng, difficulty >= 4 ? 2 : 1);
    while (owners.length > 1 && owners[0]!.first === owners[1]!.first) owners = people(rng, 2);
    const cals: Ev[][] = owners.map(() => []);
    for (const cal of cals) {
      for (let d = 0; d < nDays; d++) {
        const n = 1 + Math.floor(difficulty / 2) + rng.int(0, 1);
        for (let k = 0; k < n; k++) {
          const lo = difficulty >= 5 ? ws - 60 : ws;
          const start = lo + 15 * rng.int(0, Math.floor((we - lo - 30) / 15));
          const end = Math.min(start + 15 * rng.int(1, 8), difficulty >= 5 ? we + 60 : we);
          cal.push({ day: d, start, end, title: rng.pick(TITLES), kind: 'busy' });
        }
        if (difficulty >= 3 && rng.chance(0.5)) {
          const start = ws + 15 * rng.int(0, Math.floor((we - ws - 60) / 15));
          cal.push({ day: d, start, end: start + 60, title: rng.pick(TITLES), kind: 'cancelled' });
        }
        if (difficulty >= 3 && rng.chance(0.35)) cal.push({ day: d, start: ws, end: we, title: rng.pick(SOFT), kind: 'transparent' });
      }
      if (difficulty >= 5 && rng.chance(0.6)) cal.push({ day: rng.int(1, nDays - 1), start: 0, end: 1440, title: rng.pick(['Offsite', 'Public holiday', 'Conference travel']), kind: 'allday' });
    }
    const slotsFor = () => {
      const out: Array<{ date: string; start: number; end: number }> = [];
      for (let d = 0; d < nDays; d++) {
        const busy = cals.flat().filter((e) => e.day === d && (e.kind === 'busy' || e.kind === 'allday')).map((e) => [Math.max(e.start, ws), Math.min(e.end, we)] as [number, number]).filter(([a, b]) => a < b).sort((a, b) => a[0] - b[0]);
        let cur = ws;
        for (const [a, b] of [...busy, [we, we] as [number, number]]) {
          if (a - cur >= minLen) out.push({ date: isoDate(year, month, day + d), start: cur, end: a });
          cur = Math.max(cur, b);
        }
      }
      return out;
    };
    let slots = slotsFor();
    while (!slots.length) {
      const blocks = (e: Ev) => e.kind === 'busy' || e.kind === 'allday';
      const cal = cals.find((c) => c.some(blocks))!;
      cal.splice(cal.indexOf(cal.filter(blocks).pop()!), 1);
      slots = slotsFor();
    }
    slots.sort((a, b) => cmp(a.date, b.date) || a.start - b.start);
    // Distractors outside the requested days.
    if (difficulty >= 2) {
      const nd = day + 7 <= daysInMonth(year, month) ? day + 7 : day - 3;
      for (const cal of cals) cal.push({ day: nd - day, start: ws + 60, end: ws + 120, title: rng.pick(TITLES), kind: 'busy' });
    }
    const stamp = (d: number, m: number) => `${year}${pad2(month)}${pad2(day + d)}T${pad2(Math.floor(m / 60))}${pad2(m % 60)}00`;
    const fold = (line: string) => (difficulty >= 5 && line.length > 60 ? `${line.slice(0, 60)}\r\n ${line.slice(60)}` : line);
    const workspace: Record<string, string> = {};
    const files: string[] = [];
    owners.forEach((o, i) => {
      const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//${rng.pick(['Fastmail', 'Google Inc', 'Apple Inc', 'Proton'])}//Calendar//EN`, `X-WR-CALNAME:${o.full}`];
      for (const [k, e] of rng.shuffle(cals[i]!).entries()) {
        lines.push('BEGIN:VEVENT', `UID:${o.first.toLowerCase()}-${k}-${rng.int(1000, 9999)}@cal.example.com`);
        if (e.kind === 'allday') {
          const date = `${year}${pad2(month)}${pad2(day + e.day)}`;
          lines.push(`DTSTART;VALUE=DATE:${date}`, `DTEND;VALUE=DATE:${year}${pad2(month)}${pad2(day + e.day + 1)}`);
        } else lines.push(`DTSTART:${stamp(e.day, e.start)}`, `DTEND:${stamp(e.day, e.end)}`);
        lines.push(fold(`SUMMARY:${e.title}${difficulty >= 5 && rng.chance(0.3) ? ` — agenda and notes are in the shared drive, please read them beforehand` : ''}`));
        if (e.kind === 'cancelled') lines.push('STATUS:CANCELLED');
        else if (difficulty >= 3) lines.push(rng.pick(['STATUS:CONFIRMED', 'STATUS:TENTATIVE']));
        if (e.kind === 'transparent') lines.push('TRANSP:TRANSPARENT');
        lines.push('END:VEVENT');
      }
      lines.push('END:VCALENDAR');
      const f = `calendars/${o.first.toLowerCase()}.ics`;
      files.push(f);
      workspace[f] = lines.join('\r\n') + '\r\n';
    });
    const out = rng.pick(['free_slots.csv', 'planning/free_slots.csv', 'out/availability.csv']);
    const dayRange = nDays === 1 ? `${DAYNAMES[0]} ${day} ${MONTHS[month - 1]} ${year}` : `${DAYNAMES[0]} ${day} to ${DAYNAMES[nDays - 1]} ${day + nDays - 1} ${MONTHS[month - 1]} ${year}`;
    const who = owners.map((o) => o.first).join(' and ');
    const ask = say(rng, [
      'I need to book a {min}-minute session with {who} sometime {range}. Which slots are open? The calendar{s} {are} in {files}.',
      'Please find every free window of at least {min} minutes in {files} for {range}.',
      'Can you look at {files} and list when {who} {is} free ({min}+ minutes) on {range}?',
      'Scheduling help: from {files}, work out {who}’s open time blocks of {min} minutes or more for {range}.',
      'Where can I fit a {min} min meeting with {who} during {range}? Use {files}.',
    ], { min: minLen, who, range: dayRange, files: codeList(files), s: files.length > 1 ? 's' : '', are: files.length > 1 ? 'are' : 'is', is: files.length > 1 ? 'are both' : 'is' });
    const b = rng.pick(['- ', '* ']);
    const details = [
      b + say(rng, ['Working hours are {ws}–{we}; only count time inside them.', 'Only consider {ws} to {we} each day.', 'Our day runs from {ws} until {we} (times in the files are local).'], { ws: hhmm(ws), we: hhmm(we) }),
      b + say(rng, ['Write `{out}` with header `date,start,end,minutes` (YYYY-MM-DD, HH:MM, HH:MM, length), sorted by date then start.', 'Output CSV `{out}`: columns `date,start,end,minutes`, one row per maximal free gap, chronological.', 'Save the gaps to `{out}` — header `date,start,end,minutes`, earliest first.'], { out }),
      b + say(rng, ['A slot is a maximal gap between busy events, so list each gap once with its full length.', 'Report each whole gap (not split into {min}-minute pieces).', 'Give the complete free stretch each time, not individual {min}-minute chunks.'], { min: minLen }),
    ];
    if (difficulty >= 3) details.push(b + say(rng, ['Cancelled events (`STATUS:CANCELLED`) and ones marked `TRANSP:TRANSPARENT` do not block time.', 'Ignore events that are cancelled or transparent (shown as free).']));
    if (difficulty >= 4) details.push(b + say(rng, ['A slot only counts if everyone is free.', 'Both calendars must be free at the same time.']));
    if (difficulty >= 5) details.push(b + say(rng, ['All-day events block the whole day; some lines are folded (continuation lines start with a space).', 'Watch for all-day entries (`VALUE=DATE`) and RFC 5545 line folding.']));
    const instruction = voiced(ctx, ask, details);

    const solution = pyOracle(String.raw`
ws, we, minlen = ${ws}, ${we}, ${minLen}
days = ${JSON.stringify(Array.from({ length: nDays }, (_, d) => isoDate(year, month, day + d)))}
busy = {d: [] for d in days}
for path in ${JSON.stringify(files)}:
    raw = open(path, newline="").read().replace("\r\n", "\n")
    text = re.sub(r"\n[ \t]", "", raw)
    for block in re.findall(r"BEGIN:VEVENT\n(.*?)END:VEVENT", text, re.S):
        props = {}
        for line in block.strip().split("\n"):
            k, v = line.split(":", 1)
            props[k.split(";")[0]] = (k, v)
        if props.get("STATUS", ("", ""))[1] == "CANCELLED" or props.get("TRANSP", ("", ""))[1] == "TRANSPARENT":
            continue
        s, e = props["DTSTART"][1], props["DTEND"][1]
        date = "%s-%s-%s" % (s[0:4], s[4:6], s[6:8])
        if date not in busy:
            continue
        if "T" not in s:
            busy[date].append((0, 1440))
        else:
            busy[date].append((int(s[9:11]) * 60 + int(s[11:13]), int(e[9:11]) * 60 + int(e[11:13])))
rows = []
for d in days:
    iv = sorted((max(a, ws), min(b, we)) for a, b in busy[d] if min(b, we) > max(a, ws))
    cur = ws
    for a, b in iv + [(we, we)]:
        if a - cur >= minlen:
            rows.append((d, cur, a))
        cur = max(cur, b)
out = ${JSON.stringify(out)}
if os.path.dirname(out):
    os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "start", "end", "minutes"])
    for d, a, b in rows:
        w.writerow([d, "%02d:%02d" % divmod(a, 60), "%02d:%02d" % divmod(b, 60), b - a])
`);
    return {
      title: `Free ${minLen}-minute slots for ${who}`,
      instruction,
      workspace,
      solution,
      checks: [
        { id: 'csv_shape', type: 'csv', path: out, columns: ['date', 'start', 'end', 'minutes'], row_count: slots.length },
        {
          id: 'slots',
          type: 'csv',
          path: out,
          cells: slots.flatMap((s, row) => [
            { row, column: 'date', equals: s.date },
            { row, column: 'start', equals: hhmm(s.start) },
            { row, column: 'end', equals: hhmm(s.end) },
            { row, column: 'minutes', equals: s.end - s.start },
          ]),
        },
        ...files.map((f, i) => ({ id: `calendar_untouched_${i}`, type: 'file_unchanged' as const, path: f, weight: 0 })),
      ],
      operations: ['read local files and extract relevant content', 'filter, sort, and rank records', 'write structured results to local files'],
      tags: ['ics', 'calendar'],
    };
  },
};
