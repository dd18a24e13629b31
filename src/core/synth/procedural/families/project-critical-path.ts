/** Planning & Knowledge: schedule a project plan (durations + dependencies), find its length and critical path. */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { SHORT_NAMES } from './names.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';

const PROJECTS: Array<{ name: string; prefix: string; tasks: string[] }> = [
  { name: 'website relaunch', prefix: 'WEB', tasks: ['Kickoff workshop', 'Content audit', 'Sitemap draft', 'Wireframes', 'Visual design', 'CMS setup', 'Template build', 'Copywriting', 'Content migration', 'SEO redirects', 'Accessibility review', 'QA pass', 'Stakeholder sign-off', 'DNS cutover', 'Launch comms', 'Analytics setup', 'Training for editors', 'Post-launch fixes', 'Performance budget', 'Legal review'] },
  { name: 'office move', prefix: 'MOVE', tasks: ['Choose floor plan', 'Sign lease addendum', 'Order furniture', 'Network cabling', 'Book movers', 'Pack archives', 'IT inventory', 'Security badges', 'Move desks', 'Install printers', 'Kitchen setup', 'Signage', 'Update address everywhere', 'Farewell to old office', 'Deep clean old office', 'Key handover', 'Plant delivery', 'Fire safety walk', 'Wi-Fi survey', 'Welcome day'] },
  { name: 'data warehouse migration', prefix: 'DWH', tasks: ['Inventory sources', 'Choose target schema', 'Provision cluster', 'Build ingestion', 'Backfill history', 'Port dbt models', 'Reconcile row counts', 'Migrate dashboards', 'Access controls', 'Cost alerts', 'Dual-run period', 'Cut over BI tools', 'Decommission old DB', 'Runbook', 'Train analysts', 'Data quality tests', 'PII masking', 'Lineage docs', 'Freeze legacy jobs', 'Retro'] },
  { name: 'product launch', prefix: 'LCH', tasks: ['Positioning doc', 'Pricing decision', 'Beta recruitment', 'Beta feedback', 'Landing page', 'Demo video', 'Press kit', 'Sales enablement', 'Support macros', 'Billing integration', 'Release candidate', 'Security review', 'Launch email', 'Partner briefings', 'Go/no-go meeting', 'Launch day', 'Webinar', 'Metrics review', 'Docs update', 'Community post'] },
  { name: 'conference', prefix: 'CONF', tasks: ['Pick venue', 'Set budget', 'Call for papers', 'Review talks', 'Publish schedule', 'Open registration', 'Book catering', 'AV contract', 'Speaker travel', 'Sponsor packages', 'Swag order', 'Volunteer roster', 'Badge printing', 'Venue walkthrough', 'Event days', 'Record talks', 'Upload videos', 'Attendee survey', 'Pay invoices', 'Wrap-up report'] },
];

interface T { id: string; name: string; dur: number; deps: string[]; owner: string; status: 'todo' | 'done' | 'cancelled' }

interface ScheduleOptions { ignoreDone?: boolean; ignoreCancelled?: boolean; noInherit?: boolean }

/** Earliest-start schedule and zero-slack tasks; the options switch one rule off (what a wrong solution computes). */
function schedule(tasks: T[], o: ScheduleOptions) {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const cancelled = (t: T) => t.status === 'cancelled' && !o.ignoreCancelled;
  const effDeps = (t: T): string[] => {
    const out = new Set<string>();
    for (const d of t.deps) {
      const dt = byId.get(d)!;
      if (cancelled(dt)) {
        if (!o.noInherit) for (const x of effDeps(dt)) out.add(x);
      } else out.add(d);
    }
    return [...out];
  };
  const live = tasks.filter((t) => !cancelled(t));
  const dur = (t: T) => (t.status === 'done' && !o.ignoreDone ? 0 : t.dur);
  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  for (const t of live) {
    const s = Math.max(0, ...effDeps(t).map((d) => finish.get(d)!));
    start.set(t.id, s);
    finish.set(t.id, s + dur(t));
  }
  const total = Math.max(0, ...live.map((t) => finish.get(t.id)!));
  const lateFinish = new Map<string, number>();
  for (const t of [...live].reverse()) {
    const succ = live.filter((x) => effDeps(x).includes(t.id));
    lateFinish.set(t.id, succ.length ? Math.min(...succ.map((x) => lateFinish.get(x.id)! - dur(x))) : total);
  }
  const critical = live.filter((t) => lateFinish.get(t.id)! - dur(t) === start.get(t.id)).sort((a, b) => start.get(a.id)! - start.get(b.id)! || cmp(a.id, b.id)).map((t) => t.id);
  return { live, start, finish, total, critical, toJSON: () => [total, critical, [...start], [...finish]] };
}

export const projectCriticalPath: Family = {
  id: 'project-critical-path',
  version: 2,
  category: 'Planning & Knowledge',
  subcategory: 'task planning and decomposition',
  summary: 'Schedule a project plan from durations and dependencies; report project length, task starts and the critical path.',
  domains: ['office', 'software'],
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const proj = rng.pick(PROJECTS);
    const n = Math.min(proj.tasks.length, 4 + difficulty * 3 + rng.int(0, 1));
    const names = proj.tasks.slice(0, n);
    // Ticket numbers are not in dependency order (ids sort differently from start days).
    const nums = rng.sample(Array.from({ length: 80 }, (_, k) => 10 + k), n);
    let tasks: T[] = [];
    let truth = schedule([], {});
    // Draw plans until every stated rule changes the answer: a parallel twin makes the "then id"
    // tie-break matter, and the status rules need a done task, a cancelled one whose dependents inherit.
    for (let attempt = 0; ; attempt++) {
      tasks = names.map((name, k) => ({ id: `${proj.prefix}-${nums[k]!}`, name, dur: rng.int(1, 10), deps: [], owner: rng.pick(SHORT_NAMES), status: 'todo' }));
      for (let k = 1; k < n; k++) {
        if (difficulty >= 2 && k > 1 && rng.chance(0.15)) continue;
        const window = tasks.slice(Math.max(0, k - 4), k);
        tasks[k]!.deps = rng.sample(window, difficulty >= 3 ? rng.int(1, 2) : 1).map((t) => t.id).sort(cmp);
      }
      // A twin: same dependencies and duration as its predecessor, and everything after that waits for one waits for both.
      const k = rng.int(1, n - 3);
      const [x, y] = [tasks[k]!, tasks[k + 1]!];
      y.deps = [...x.deps];
      y.dur = x.dur;
      for (const t of tasks.slice(k + 2)) if (t.deps.includes(x.id) !== t.deps.includes(y.id)) t.deps = [...new Set([...t.deps, x.id, y.id])].sort(cmp);
      if (difficulty >= 4) for (const t of tasks) if (rng.chance(0.15)) t.status = 'done';
      if (difficulty >= 5) for (const t of tasks.slice(1, -1)) if (t.status === 'todo' && rng.chance(0.15)) t.status = 'cancelled';
      truth = schedule(tasks, {});
      const differs = (o: ScheduleOptions) => JSON.stringify(schedule(tasks, o)) !== JSON.stringify(truth);
      const crit = truth.critical;
      const ok =
        truth.live.some((t) => !crit.includes(t.id)) &&
        JSON.stringify([...crit].sort(cmp)) !== JSON.stringify(crit) &&
        crit.some((c, i) => i > 0 && truth.start.get(crit[i - 1]!) === truth.start.get(c)) &&
        (difficulty < 4 || differs({ ignoreDone: true })) &&
        (difficulty < 5 || (differs({ ignoreCancelled: true }) && differs({ noInherit: true })));
      if (ok) break;
      if (attempt > 500) throw new Error('project-critical-path: no plan exercises every rule');
    }
    const { live, start, finish, total, critical } = truth;
    const md = difficulty >= 3 && rng.chance(0.5);
    const planPath = md ? `plan/${proj.prefix.toLowerCase()}-plan.md` : `plan/${proj.prefix.toLowerCase()}-tasks.csv`;
    const withStatus = difficulty >= 4;
    const header = ['id', 'task', 'owner', 'duration_days', 'depends_on', ...(withStatus ? ['status'] : [])];
    const rowsOut = rng.shuffle(tasks).map((t) => [t.id, t.name, t.owner, String(t.dur), t.deps.join(';'), ...(withStatus ? [t.status] : [])]);
    const plan = md
      ? [`# ${proj.name[0]!.toUpperCase()}${proj.name.slice(1)} plan`, '', `Owner: ${rng.pick(SHORT_NAMES)} · durations are working days`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rowsOut.map((r) => `| ${r.join(' | ')} |`), ''].join('\n')
      : [header.join(','), ...rowsOut.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(','))].join('\n') + '\n';
    const out = `plan/${proj.prefix.toLowerCase()}-schedule.json`;

    const ex = rng.pick(tasks);
    const ask = say(rng, [
      'How long will our {proj} take? The task list with durations and dependencies is in `{plan}`.',
      'Please build a schedule for the {proj} from `{plan}` and tell me which tasks are critical.',
      'I am planning the {proj} ({n} tasks in `{plan}`). Work out when each task can start at the earliest.',
      'Can you do a quick critical-path analysis of `{plan}` for the {proj}?',
      'Our {proj} plan lives in `{plan}`. I need start days for every task and the overall duration.',
    ], { proj: proj.name, plan: planPath, n }) + ' ' + say(rng, [
      'I am especially curious about "{ex}" ({exid}).',
      'Someone asked whether {exid} ({ex}) can slip.',
      '{owner} keeps asking when "{ex}" can begin.',
      'The steering group meets on day {day}.',
      'There are {n} rows, owned by {owner} and others.',
    ], { ex: ex.name, exid: ex.id, owner: ex.owner, day: rng.int(5, 40), n });
    const b = rng.pick(['- ', '* ']);
    const startLine = say(rng, ['Day 0 is the project start; a task starts when all its dependencies (`depends_on`, `;`-separated) have finished, and no task waits longer than that.', 'Assume everything starts as early as possible: a task begins on the day its last dependency finishes (day 0 if none).', 'Earliest-start scheduling: start = the latest finish among the `depends_on` tasks, or 0; finish = start + duration.']);
    const critLine = say(rng, ['`critical_path` lists the ids of all zero-slack tasks (any delay would delay the project), ordered by start day, then id.', 'The critical path is every task with no slack, as a list of ids sorted by start then id.', 'For `critical_path`, include each task whose delay would push out the end date; sort by start, ties by id.']);
    const details = [
      b + startLine,
      b + say(rng, ['Write `{out}` with `project_days` (when the last task finishes), `tasks` (id → `{"start": …, "finish": …}`) and `critical_path` (a list of ids).', 'Save JSON to `{out}`: `project_days` (a number of days), a `tasks` object keyed by id with `start`/`finish`, and `critical_path` (a list of ids).', 'Output `{out}` containing `project_days` (a number), `tasks` ({id: {start, finish}}) and `critical_path` (a list of ids).'], { out }),
      b + critLine,
    ];
    const rules: Rule[] = [
      { id: 'earliest-start', text: startLine },
      { id: 'zero-slack', text: critLine },
      { id: 'critical-order', text: '`critical_path` is ordered by start day' },
      { id: 'tie-by-id', text: 'tasks of `critical_path` that start on the same day are ordered by id' },
    ];
    if (difficulty >= 4) {
      const line = say(rng, ['Tasks with status `done` are finished already: treat their duration as 0.', 'Anything marked `done` takes 0 more days.']);
      details.push(b + line);
      rules.push({ id: 'done-zero', text: line });
    }
    if (difficulty >= 5) {
      const line = say(rng, ['`cancelled` tasks are dropped entirely; a task that depended on one inherits that task’s own dependencies instead.', 'Remove cancelled tasks (not in `tasks` either); their dependents wait on whatever the cancelled task waited on.']);
      details.push(b + line);
      rules.push({ id: 'cancelled-dropped', text: line }, { id: 'cancelled-inherit', text: 'a task that depended on a cancelled task waits on that task’s own dependencies' });
    }
    const instruction = voiced(ctx, ask, details);

    // Every task's start and finish (not the whole `tasks` object, so extra fields per task are fine).
    const checks: CheckInput[] = [
      { id: 'project_days', type: 'json_path', path: out, query: '$.project_days', equals: total },
      { id: 'critical_path', type: 'json_path', path: out, query: '$.critical_path', equals: critical },
      ...live.map((t) => ({ id: `start_${t.id}`, type: 'json_path' as const, path: out, query: `$.tasks['${t.id}'].start`, equals: start.get(t.id)! })),
      ...live.map((t) => ({ id: `finish_${t.id}`, type: 'json_path' as const, path: out, query: `$.tasks['${t.id}'].finish`, equals: finish.get(t.id)! })),
      ...tasks.filter((t) => t.status === 'cancelled').map((t) => ({ id: `dropped_${t.id}`, type: 'json_path' as const, path: out, query: `$.tasks['${t.id}']`, exists: false })),
      { id: 'plan_untouched', type: 'file_unchanged', path: planPath, weight: 0 },
    ];

    const solution = pyOracle(String.raw`
${SKIP_LINE}
path = ${JSON.stringify(planPath)}
if path.endswith(".csv"):
    rows = list(csv.DictReader(open(path)))
else:
    lines = [l.strip() for l in open(path) if l.strip().startswith("|")]
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = [dict(zip(head, [c.strip() for c in l.strip("|").split("|")])) for l in lines[2:]]
tasks = {r["id"]: r for r in rows}
def cancelled(t):
    return tasks[t].get("status") == "cancelled" and "cancelled-dropped" not in SKIP
def deps(tid):
    if "earliest-start" in SKIP:
        return []
    out = []
    for d in [x for x in tasks[tid]["depends_on"].split(";") if x]:
        if cancelled(d):
            if "cancelled-inherit" not in SKIP:
                out += [x for x in deps(d) if x not in out]
        elif d not in out:
            out.append(d)
    return out
live = [t for t in tasks if not cancelled(t)]
dur = {t: 0 if tasks[t].get("status") == "done" and "done-zero" not in SKIP else int(tasks[t]["duration_days"]) for t in live}
fin, st = {}, {}
def finish(t):
    if t not in fin:
        st[t] = max([finish(d) for d in deps(t)] + [0])
        fin[t] = st[t] + dur[t]
    return fin[t]
if "back-to-back" in SKIP:
    day = 0
    for t in live:
        st[t], fin[t] = day, day + dur[t]
        day = fin[t]
total = max(finish(t) for t in live)
lf = {}
def late(t):
    if t not in lf:
        succ = [x for x in live if t in deps(x)]
        lf[t] = min([late(x) - dur[x] for x in succ] + [total])
    return lf[t]
crit = [t for t in live if late(t) - dur[t] == st[t] or "zero-slack" in SKIP]
if "critical-order" in SKIP:
    crit.sort()
elif "tie-by-id" in SKIP:
    crit.sort(key=lambda t: (st[t], [-ord(c) for c in t]))
else:
    crit.sort(key=lambda t: (st[t], t))
json.dump({"project_days": total, "critical_path": crit, "tasks": {t: {"start": st[t], "finish": fin[t]} for t in live}}, open(${JSON.stringify(out)}, "w"), indent=2)
`);
    const ignoring: Record<string, string> = {
      'earliest-start': 'ignores dependencies: every task starts on day 0',
      'zero-slack': 'lists every task as critical, slack or not',
      'critical-order': 'sorts the critical path by id only',
      'tie-by-id': 'breaks start-day ties by id in reverse',
      'done-zero': 'still counts the full duration of done tasks',
      'cancelled-dropped': 'schedules cancelled tasks like any other',
      'cancelled-inherit': 'drops cancelled tasks but forgets what they waited on',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'back-to-back', kind: 'wrong', shortcut: 'runs the tasks one after another in file order (project length = sum of durations)', description: 'no parallelism', solution: skipping(solution, 'back-to-back') },
      {
        id: 'extra-fields-compact',
        kind: 'variant',
        description: 'compact JSON, tasks in reverse order with extra `name` and `slack` fields, an extra top-level `unit`',
        solution: thenPython(solution, `
out = ${JSON.stringify(out)}
data = json.load(open(out))
crit = set(data["critical_path"])
tasks = {t: dict(v, name="task " + t, slack=0 if t in crit else None) for t, v in reversed(list(data["tasks"].items()))}
open(out, "w").write(json.dumps({"unit": "working days", "critical_path": data["critical_path"], "tasks": tasks, "project_days": data["project_days"]}, separators=(",", ":")))
`),
      },
    ];
    return {
      title: `Critical path for the ${proj.name}`,
      instruction,
      workspace: { [planPath]: plan },
      solution,
      checks,
      rules,
      mutants,
      operations: ['read local files and extract relevant content', 'compute basic statistics and aggregates', 'write structured results to local files'],
      tags: ['planning', 'scheduling'],
    };
  },
};
