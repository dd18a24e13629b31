/**
 * Productivity & Collaboration: replay several weeks of meeting notes onto the action tracker
 * (new actions, done, handovers, moved deadlines — in meeting order, drafts left out) → write the
 * updated tracker CSV → list what is overdue as of today, per owner, in a status note.
 */
import type { CheckInput, Family } from '../../family.js';
import { clutter, cmp, csvOf, dayNum, fromDayNum, iso, MONTH_NAMES, put, py, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';
import { SHORT_NAMES } from '../names.js';

const TASKS = ['Draft the Q3 budget', 'Book the offsite venue', 'Review the vendor contract', 'Update the onboarding guide', 'Send the survey to customers', 'Fix the invoice template', 'Plan the holiday rota', 'Collect the design feedback', 'Migrate the shared drive', 'Prepare the board slides', 'Renew the insurance policy', 'Audit the laptop inventory', 'Write the hiring brief', 'Clean up the CRM tags', 'Order new badges', 'Schedule the security training'];

interface Item {
  id: number;
  owner: string;
  task: string;
  due: number; // day number
  done: boolean;
}
type Op = { kind: 'new'; owner: string; task: string; due: number; short: boolean } | { kind: 'done'; id: number } | { kind: 'handover'; id: number; to: string } | { kind: 'moved'; id: number; due: number };
type Skip = 'order' | 'drafts' | 'short-dates' | 'ids' | 'strict';

export const actionTracker: Family = {
  id: 'action-tracker',
  version: 1,
  category: 'Productivity & Collaboration',
  subcategory: 'meeting notes and summaries',
  summary: 'Replay weeks of meeting notes (new, done, handover, moved) onto an action tracker CSV, then write the overdue-by-owner status note.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const owners = rng.sample(SHORT_NAMES, 3 + Math.min(3, d));
    const y = rng.int(2024, 2026);
    const start = dayNum(y, rng.int(2, 9), rng.int(1, 20));
    const weeks = 2 + Math.min(4, d);
    const meetings = Array.from({ length: weeks }, (_, w) => start + 7 * (w + 1));
    const today = meetings[weeks - 1]! + rng.int(1, 3);
    const tasks = rng.shuffle(TASKS);
    let ti = 0;
    // The tracker before the meetings: ids with gaps (deleted rows), so "next id" ≠ row count + 1.
    const items: Item[] = [];
    let id = rng.int(3, 9);
    for (let i = 0; i < 3 + d; i++) {
      items.push({ id, owner: rng.pick(owners), task: tasks[ti++ % tasks.length]!, due: start + rng.int(-3, 20), done: rng.chance(0.2) });
      id += rng.int(1, 3);
    }
    const before = items.map((x) => ({ ...x }));
    const ops: Op[][] = meetings.map(() => []);
    const open = () => items.filter((x) => !x.done);
    // Witnesses: an item moved twice (order matters), a new action with a short date, one due today.
    const twice = open()[0]!;
    ops[0]!.push({ kind: 'moved', id: twice.id, due: today + 5 });
    ops[weeks - 1]!.push({ kind: 'moved', id: twice.id, due: today - 2 });
    ops[1]!.push({ kind: 'new', owner: rng.pick(owners), task: tasks[ti++ % tasks.length]!, due: meetings[1]! + 4, short: true });
    ops[weeks - 2]!.push({ kind: 'new', owner: rng.pick(owners), task: tasks[ti++ % tasks.length]!, due: today, short: false });
    for (let w = 0; w < weeks; w++) {
      for (let k = 0; k < 1 + Math.floor(d / 2); k++) {
        const r = rng.int(0, 3);
        const cand = open().filter((x) => x.id !== twice.id);
        if (r === 0 || !cand.length) ops[w]!.push({ kind: 'new', owner: rng.pick(owners), task: tasks[ti++ % tasks.length]!, due: meetings[w]! + rng.int(-2, 12), short: rng.chance(0.4) });
        else if (r === 1) ops[w]!.push({ kind: 'done', id: rng.pick(cand).id });
        else if (r === 2) ops[w]!.push({ kind: 'handover', id: rng.pick(cand).id, to: rng.pick(owners) });
        else ops[w]!.push({ kind: 'moved', id: rng.pick(cand).id, due: meetings[w]! + rng.int(-1, 10) });
      }
    }
    // A draft that was never held: marks the item moved twice as done.
    const draftOps: Op[] = [{ kind: 'done', id: twice.id }];

    const date = (n: number) => iso(...fromDayNum(n));
    const shortDate = (n: number) => {
      const [, m, dd] = fromDayNum(n);
      return `${dd} ${MONTH_NAMES[m - 1]!.slice(0, 3)}`;
    };
    const opLine = (o: Op) =>
      o.kind === 'new'
        ? `- ACTION @${o.owner}: ${o.task} (due ${o.short ? shortDate(o.due) : date(o.due)})`
        : o.kind === 'done'
          ? `- DONE A-${o.id}`
          : o.kind === 'handover'
            ? `- HANDOVER A-${o.id} @${o.to}`
            : `- MOVED A-${o.id} due ${date(o.due)}`;
    const noteFile = (w: number) => `meetings/${date(meetings[w]!)}-weekly.md`;
    const files: Record<string, string> = {
      'tracker/actions.csv': csvOf(['id', 'owner', 'task', 'due', 'status'], before.map((x) => [`A-${x.id}`, x.owner, x.task, date(x.due), x.done ? 'done' : 'open'])),
      'meetings/README.md': 'Weekly notes. Under "## Actions" we write:\n\n- `ACTION @owner: task (due DATE)` — a new action (DATE is ISO, or like `17 May` for the meeting\'s year)\n- `DONE A-n` — action n is finished\n- `HANDOVER A-n @owner` — action n has a new owner\n- `MOVED A-n due DATE` — action n has a new deadline\n\nUnfinished notes live in drafts/ until the meeting happens.\n',
      [`meetings/drafts/${date(today + 7)}-weekly.md`]: `# Weekly ${date(today + 7)} (draft)\n\n## Actions\n\n${draftOps.map(opLine).join('\n')}\n`,
      ...clutter(rng, d),
    };
    for (let w = 0; w < weeks; w++) {
      files[noteFile(w)] = `# Weekly ${date(meetings[w]!)}\n\nAttendees: ${rng.sample(owners, 3).map((o) => `@${o}`).join(', ')}\n\n## Notes\n\n- ${rng.pick(['Pipeline review went well.', 'Budget still pending sign-off.', 'New starter on Monday.', 'Office move pushed to next quarter.'])}\n\n## Actions\n\n${ops[w]!.map(opLine).join('\n')}\n`;
    }
    const wrongYear = (n: number) => {
      const [yy, m, dd] = fromDayNum(n);
      return dayNum(yy - 1, m, dd);
    };
    const compute = (skip: ReadonlySet<Skip>) => {
      const its = before.map((x) => ({ ...x }));
      let next = skip.has('ids') ? its.length + 1 : Math.max(...its.map((x) => x.id)) + 1;
      const order = skip.has('order') ? [...ops].reverse() : ops;
      for (const o of [...order.flat(), ...(skip.has('drafts') ? draftOps : [])]) {
        if (o.kind === 'new') {
          while (skip.has('ids') && its.some((x) => x.id === next)) next++;
          its.push({ id: next++, owner: o.owner, task: o.task, due: o.short && skip.has('short-dates') ? wrongYear(o.due) : o.due, done: false });
        } else {
          const it = its.find((x) => x.id === o.id)!;
          if (o.kind === 'done') it.done = true;
          else if (o.kind === 'handover') it.owner = o.to;
          else it.due = o.due;
        }
      }
      its.sort((a, b) => a.id - b.id);
      const overdue = its.filter((x) => !x.done && (skip.has('strict') ? x.due <= today : x.due < today)).sort((a, b) => cmp(a.owner, b.owner) || a.due - b.due || a.id - b.id);
      return { its, overdue };
    };
    const statusPath = `outbox/status-${date(today)}.md`;
    const statusOf = (r: ReturnType<typeof compute>, loose = false) => {
      const by = [...new Set(r.overdue.map((x) => x.owner))];
      return `${loose ? `Hi all,\n\nHere is what is overdue as of ${date(today)}.\n\n` : `# Overdue as of ${date(today)}\n\n`}${by.map((o) => `## @${o}\n\n${r.overdue.filter((x) => x.owner === o).map((x) => `${loose ? '*' : '-'} A-${x.id}: ${x.task} (due ${date(x.due)})`).join('\n')}\n`).join('\n')}${loose ? '\nThanks!\n' : ''}`;
    };
    const render = (skip: ReadonlySet<Skip>, o: { loose?: boolean; noStatus?: boolean; noTracker?: boolean } = {}) => {
      const r = compute(skip);
      const trackerRows = r.its.map((x) => [`A-${x.id}`, x.owner, x.task, date(x.due), x.done ? 'done' : 'open']);
      return sh(
        o.noTracker ? '' : put('tracker/actions.csv', o.loose ? trackerRows.map((row) => row.map((c) => `"${c}"`).join(',')).reduce((a, l) => `${a}${l}\n`, '"id","owner","task","due","status"\n') : csvOf(['id', 'owner', 'task', 'due', 'status'], trackerRows)),
        o.noStatus ? '' : put(statusPath, statusOf(o.noTracker ? { its: before, overdue: before.filter((x) => !x.done && x.due < today).sort((a, b) => cmp(a.owner, b.owner) || a.due - b.due || a.id - b.id) } : r, o.loose)),
      );
    };
    const truth = compute(new Set());
    const notOverdue = truth.its.filter((x) => !truth.overdue.includes(x));
    const checks: CheckInput[] = [
      {
        id: 'tracker',
        type: 'command',
        // The whole table, exactly (cells trimmed): a partial credit per cell would pay the untouched rows.
        run: py(`rows = [[c.strip() for c in r] for r in csv.reader(open("tracker/actions.csv", newline="")) if r]\nwant = json.loads(${JSON.stringify(JSON.stringify([['id', 'owner', 'task', 'due', 'status'], ...truth.its.map((x) => [`A-${x.id}`, x.owner, x.task, date(x.due), x.done ? 'done' : 'open'])]))})\nfor i, (g, w) in enumerate(zip(rows, want)):\n    assert g == w, f"row {i}: {g} != {w}"\nassert len(rows) == len(want), f"{len(rows) - 1} rows, want {len(want) - 1}"`),
        weight: 3,
        description: 'the tracker after replaying the meetings, row by row',
      },
      ...truth.overdue.map((x) => ({ id: `overdue_A-${x.id}`, type: 'text_matches' as const, path: statusPath, pattern: `^## @${x.owner}\\s*\\n(?:(?!## )[\\s\\S])*?^[-*] A-${x.id}: [^\\n]*\\(due ${date(x.due)}\\)`, flags: 'm' })),
      { id: 'not_overdue_absent', type: 'text_not_contains', path: statusPath, text: notOverdue.map((x) => `A-${x.id}:`) },
    ];
    const rules: Rule[] = [
      { id: 'order', text: 'Meetings are applied oldest first; a later note overrides an earlier one.' },
      { id: 'drafts', text: 'meetings/drafts/ holds meetings that have not happened; they change nothing.' },
      { id: 'short-dates', text: 'A date like "17 May" is in the meeting\'s year.' },
      { id: 'ids', text: 'New actions get ids after the highest id in the tracker (A-<max+1>, …), in meeting order.' },
      { id: 'strict', text: `Overdue means open with a due date before today (${date(today)}); due today is not overdue.` },
    ];
    const ask = say(rng, [
      `I've fallen behind on the action tracker. Could you bring \`tracker/actions.csv\` up to date from the weekly notes in \`meetings/\` and tell me what's overdue?`,
      `Our action list (\`tracker/actions.csv\`) hasn't been touched since before the last ${weeks} weekly meetings. Please catch it up from \`meetings/\` and draft the overdue status note.`,
    ]);
    const paragraphs = [
      say(rng, [
        '`meetings/README.md` explains the ACTION / DONE / HANDOVER / MOVED lines. Go through the meetings oldest first, so a later meeting wins over an earlier one, and leave `meetings/drafts/` alone — those meetings have not happened yet. A date like `17 May` means that day in the meeting\'s year.',
        'The note syntax is in `meetings/README.md`. Apply the meetings in date order (later decisions override earlier ones); anything in `meetings/drafts/` hasn\'t happened and changes nothing. Short dates such as `17 May` are in the same year as the meeting.',
      ]),
      say(rng, [
        'New actions get the next free numbers after the highest id already in the tracker (there are gaps from deleted rows — don\'t reuse them), in the order they come up. Keep the columns `id,owner,task,due,status` (owner without the @, ISO dates, status `open` or `done`), one row per action, sorted by id number.',
        'Number new actions from the highest existing id + 1 upward, in the order they were raised (the gaps in the ids are deleted rows, leave them). Same columns as now — `id,owner,task,due,status`, owner without @, due as YYYY-MM-DD, status open/done — rows in id order.',
      ]),
      say(rng, [
        `Then write \`${statusPath}\`: everything still open with a due date before today (${date(today)} — due today doesn't count), grouped under a \`## @owner\` heading per person (owners alphabetically), each line \`- A-<n>: <task> (due <YYYY-MM-DD>)\`, earliest due first. Nothing that isn't overdue should be in it.`,
        `And the status note \`${statusPath}\`: the open actions due before ${date(today)} (today's deadlines are not overdue yet), one \`## @owner\` section per person in alphabetical order, lines like \`- A-<n>: <task> (due <YYYY-MM-DD>)\` sorted by due date. Leave out everything else.`,
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('status-from-old-tracker', 'writes the overdue note from the tracker as it was, without applying the meetings', render(new Set(), { noTracker: true })),
      shortcut('tracker-only', 'updates the tracker but writes no status note', render(new Set(), { noStatus: true })),
      variant('chatty-note', 'a note with a greeting and sign-off, `*` bullets, every CSV field quoted', render(new Set(), { loose: true })),
    ];
    return {
      title: 'Catch up the action tracker from the weekly notes',
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['read and parse markdown files', 'extract structured information from text', 'update structured files in place', 'write reports or documentation'],
      tags: ['composed', 'meetings', 'csv'],
    };
  },
};
