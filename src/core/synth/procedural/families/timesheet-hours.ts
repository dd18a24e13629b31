/** Productivity & Collaboration: total per-person, per-project hours from timesheet CSVs and flag overtime. */
import type { Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { addDays, hhmm, pad2, weekday } from './calendar.js';
import { cmp, sortedStr } from './common.js';
import { csvText } from './csv.js';
import { q } from './json-path.js';
import { crowd } from './names.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';

const PROJECTS = ['apollo', 'borealis', 'cobalt', 'delta-migration', 'ember', 'falcon', 'granite', 'helix', 'iris', 'juniper', 'kestrel', 'lumen', 'mosaic', 'nimbus'];

export const timesheetHours: Family = {
  id: 'timesheet-hours',
  version: 2,
  category: 'Productivity & Collaboration',
  subcategory: 'time tracking and reporting',
  summary: 'Sum a week of timesheet entries per person and project (breaks, overnight shifts, duplicates), flag overtime; write JSON.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const team = crowd(rng, 2 + Math.ceil(d / 2) + rng.int(0, 1));
    const projects = rng.sample(PROJECTS, 2 + Math.floor(d / 2));
    let y = rng.int(2024, 2026);
    let m = rng.int(1, 12);
    let dd = rng.int(1, 21);
    [y, m, dd] = addDays(y, m, dd, (7 - weekday(y, m, dd)) % 7);
    const week = Array.from({ length: 7 }, (_, k) => addDays(y, m, dd, k));
    const iso = (x: [number, number, number]) => `${x[0]}-${pad2(x[1])}-${pad2(x[2])}`;
    const threshold = rng.pick([38, 40, 40, 37.5, 35]);
    const files: Record<string, string> = {};
    const truth: Record<string, { total: number; projects: Record<string, number> }> = {};
    const dir = rng.pick(['timesheets', 'time/logs', 'hr/timesheets']);
    // Who works long weeks is decided up front, so the overtime list is never empty and (with two
    // names) its sort order matters; everyone else stays clearly under every threshold.
    const heavyOnes = new Set(rng.sample(team, 2).map((p) => p.handle));
    for (const [pi, p] of team.entries()) {
      const rows: Array<[string, string, string, string, number]> = [];
      const mins: Record<string, number> = {};
      let total = 0;
      const heavy = heavyOnes.has(p.handle) || rng.chance(0.25);
      for (let k = 0; k < 5; k++) {
        const day = iso(week[k]!);
        // The first person's Monday is one long block with a break, so the break rule always counts.
        const blocks = d === 1 || (pi === 0 && k === 0) ? 1 : rng.int(1, 2 + (d >= 3 ? 1 : 0));
        // A day's work in quarter hours: 9–11 h for a long week (≥ 41.25 h even after breaks), 5.5–6.75 h otherwise (≤ 33.75 h).
        const quarters = heavy ? rng.int(36, 44) : rng.int(22, 27);
        let t = rng.int(28, 36) * 15; // 07:00–09:00
        for (let b = 0; b < blocks; b++) {
          const len15 = (Math.floor(quarters / blocks) + (b < quarters % blocks ? 1 : 0)) * 15;
          const brk = d >= 2 && b === 0 && len15 >= 240 && (pi === 0 && k === 0 ? true : rng.chance(0.6)) ? rng.pick([15, 30, 45]) : 0;
          const project = rng.pick(projects);
          let start = t;
          let end = t + len15;
          // Overnight shift (d4+): the end time is past midnight; the first person always has one.
          if (d >= 4 && b === blocks - 1 && k === 4 && (pi === 0 || rng.chance(0.5))) {
            start = 20 * 60 + rng.int(0, 8) * 15;
            end = start + len15;
          }
          rows.push([day, project, hhmm(start), hhmm(end % (24 * 60)), brk]);
          const worked = end - start - brk;
          mins[project] = (mins[project] ?? 0) + worked;
          total += worked;
          t = end + rng.int(1, 2) * 15;
        }
      }
      const lines: Array<Array<string | number>> = rows.map((r) => (d >= 2 ? r : r.slice(0, 4)));
      // Entries from outside the week (d3+) and exact duplicate rows from a bad export (d5).
      if (d >= 3) {
        const outDay = iso(rng.chance(0.5) ? addDays(...week[0]!, -rng.int(1, 3)) : addDays(...week[6]!, rng.int(1, 3)));
        lines.push([outDay, rng.pick(projects), '09:00', '17:00', ...(d >= 2 ? [30] : [])]);
      }
      if (d >= 5) for (let k = 0; k < 2; k++) lines.push([...rng.pick(lines.slice(0, rows.length))]);
      const sortedLines = [...lines].sort((a, b) => cmp(String(a[0]), String(b[0])) || cmp(String(a[2]), String(b[2])));
      const header = ['date', 'project', 'start', 'end', ...(d >= 2 ? ['break_min'] : [])];
      files[`${dir}/${p.handle}.csv`] = csvText(header, sortedLines);
      truth[p.handle] = { total, projects: mins };
    }
    const out = rng.pick(['reports/hours.json', 'hours_summary.json', 'payroll/week_hours.json', 'out/timesheet_totals.json']);
    const overtime = sortedStr(team.filter((p) => truth[p.handle]!.total > threshold * 60).map((p) => p.handle));
    const weekStr = `${iso(week[0]!)} to ${iso(week[6]!)}`;
    const ask = say(rng, [
      'Payroll needs the hours for the week of {w}. The timesheets are in `{dir}/` (one CSV per person: {ppl}).',
      'Could you total up everyone\'s hours for {w}? Each person has a CSV in `{dir}/` ({ppl}).',
      'Please crunch the timesheets under `{dir}/` ({ppl}) for the week {w}.',
      'I have to sign off timesheets for {w}; the files are `{dir}/*.csv` for {ppl}. Can you add them up?',
      'Summarise the {k} timesheets in `{dir}/` ({ppl}) — week of {w}.',
    ], { w: weekStr, dir, ppl: team.map((p) => p.first).join(', '), k: team.length });
    const details: string[] = [];
    const rules: Rule[] = [];
    // Each detail line states one rule; the rule keeps the line's wording.
    const state = (id: string, line: string) => {
      details.push(line);
      rules.push({ id, text: line.replace(/^- /, '') });
    };
    const workLine = say(rng, [
      '- Each row is a block of work from `start` to `end` (HH:MM, 24h){brk}.',
      '- A row covers `start`–`end` in 24-hour time{brk}.',
      '- Work time per row = `end` − `start`{brk}.',
    ], { brk: d >= 2 ? ', minus `break_min` minutes of break' : '' });
    if (d >= 2) state('break', workLine);
    else details.push(workLine);
    if (d >= 3) state('week-only', say(rng, ['- Only count rows dated {w}; the exports include a few other days.', '- Rows outside {w} belong to other weeks — skip them.'], { w: weekStr }));
    if (d >= 4) state('overnight', say(rng, ['- If `end` is earlier than `start`, the shift ran past midnight.', '- An end time before the start time means an overnight shift (it ends the next day).']));
    if (d >= 5) state('dedupe', say(rng, ['- The export duplicated some rows: identical rows count once.', '- Rows that are exact duplicates of another row in the same file are export glitches; count them once.']));
    details.push(
      say(rng, [
        'Write `{out}` as `{"people": {"<file name without .csv>": {"total_hours": <number>, "projects": {"<project>": <hours>}}}, "overtime": [...]}`, where `overtime` lists (sorted) the people over {t} hours.',
        'Output `{out}`: a `people` object keyed by the file name minus `.csv`, each with `total_hours` and a `projects` map of hours per project, plus `overtime` — the sorted keys of everyone above {t} h.',
        'Put the result in `{out}` with `people` → `<name from the file name>` → `total_hours` and `projects` (hours per project), and `overtime`: a sorted list of people who worked more than {t} hours.',
      ], { out, t: threshold }),
    );
    rules.push({ id: 'overtime', text: `\`overtime\` lists the people over ${threshold} hours` }, { id: 'overtime-sorted', text: '`overtime` is sorted' });
    const hoursLine = say(rng, ['Hours as decimal numbers (7.5 = 7 h 30 min).', 'Use decimal hours, e.g. 8.25 for 8:15.', 'Express hours as decimals (so 6h45 is 6.75).']);
    details.push(hoursLine);
    rules.push({ id: 'decimal-hours', text: hoursLine });
    const instruction = voiced(ctx, ask, details);
    const first = iso(week[0]!);
    const last = iso(week[6]!);
    const solution = pyOracle(`
${SKIP_LINE}
per = 1 if "decimal-hours" in SKIP else 60
people = {}
for path in sorted(glob.glob(${JSON.stringify(dir)} + "/*.csv")):
    key = os.path.basename(path)[:-4]
    seen = set()
    tot = 0
    proj = {}
    for r in csv.DictReader(open(path)):
        t = tuple(r.values())
        if t in seen and ${d >= 5 ? 'True' : 'False'} and "dedupe" not in SKIP:
            continue
        seen.add(t)
        if not (${JSON.stringify(first)} <= r["date"] <= ${JSON.stringify(last)}) and "week-only" not in SKIP:
            continue
        sh, sm = map(int, r["start"].split(":"))
        eh, em = map(int, r["end"].split(":"))
        s, e = sh * 60 + sm, eh * 60 + em
        if e < s and "overnight" not in SKIP:
            e += 24 * 60
        w = e - s - (0 if "break" in SKIP else int(r.get("break_min") or 0))
        tot += w
        proj[r["project"]] = proj.get(r["project"], 0) + w
    people[key] = {"total_hours": tot / per, "projects": {k: v / per for k, v in proj.items()}}
    if "totals-only" in SKIP:
        del people[key]["projects"]
overtime = sorted((k for k, v in people.items() if v["total_hours"] * per / 60 > ${threshold}), reverse="overtime-sorted" in SKIP)
if "overtime" in SKIP:
    overtime = []
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
json.dump({"people": people, "overtime": overtime}, open(out, "w"), indent=2)
`);
    const ignoring: Record<string, string> = {
      break: 'counts break minutes as work',
      'week-only': 'counts rows from other weeks too',
      overnight: 'takes end − start as it is for overnight shifts (negative)',
      dedupe: 'counts duplicated export rows twice',
      overtime: 'leaves the overtime list empty',
      'overtime-sorted': 'lists overtime in reverse order',
      'decimal-hours': 'reports minutes instead of decimal hours',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'totals-only', kind: 'wrong', shortcut: 'writes each person\'s total and skips the per-project breakdown', description: 'no `projects` maps', solution: skipping(solution, 'totals-only') },
      {
        id: 'compact-rounded-extra',
        kind: 'variant',
        description: 'compact JSON, hours rounded to 2 decimals, an extra `total_minutes` per person and a `week` field',
        solution: thenPython(solution, `
out = ${JSON.stringify(out)}
data = json.load(open(out))
for v in data["people"].values():
    v["total_minutes"] = round(v["total_hours"] * 60)
    v["total_hours"] = round(v["total_hours"], 2)
    v["projects"] = {k: round(h, 2) for k, h in sorted(v["projects"].items(), reverse=True)}
data = {"week": ${JSON.stringify(weekStr)}, "overtime": data["overtime"], "people": dict(reversed(list(data["people"].items())))}
open(out, "w").write(json.dumps(data, separators=(",", ":")))
`),
      },
    ];
    return {
      title: `Weekly hours for ${team.length} people (${weekStr})`,
      instruction,
      workspace: files,
      solution,
      checks: [
        ...team.map((p) => ({ id: `total_${p.handle}`, type: 'json_path' as const, path: out, query: q('people', p.handle, 'total_hours'), equals: truth[p.handle]!.total / 60, tolerance: 0.01 })),
        ...team.flatMap((p) =>
          Object.entries(truth[p.handle]!.projects)
            .sort((a, b) => cmp(a[0], b[0]))
            .map(([proj, v]) => ({ id: `proj_${p.handle}_${proj}`, type: 'json_path' as const, path: out, query: q('people', p.handle, 'projects', proj), equals: v / 60, tolerance: 0.01 })),
        ),
        { id: 'overtime', type: 'json_path', path: out, query: '$.overtime', equals: overtime },
      ],
      rules,
      mutants,
      operations: ['read and parse CSV files', 'aggregate and summarize data', 'handle edge cases in data', 'write structured JSON output'],
      tags: ['timesheets'],
    };
  },
};
