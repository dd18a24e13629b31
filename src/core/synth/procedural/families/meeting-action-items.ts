/** Productivity & Collaboration: pull the action items out of meeting notes into a sorted CSV. */
import type { Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { cmp, isoDate, people } from './common.js';
import { say } from './phrasing.js';

const TOPICS = ['Q3 roadmap', 'hiring plan', 'vendor review', 'launch retro', 'budget sync', 'security audit', 'customer escalations', 'office move'];
const TASKS = ['send the revised proposal', 'book the venue', 'update the onboarding doc', 'review the contract', 'draft the announcement', 'collect quotes from vendors', 'fix the staging deploy', 'schedule user interviews', 'prepare the board slides', 'clean up the CRM duplicates', 'renew the SSL certificate', 'write the incident report'];
const CHATTER = ['Discussion went long on scope.', 'Everyone agreed the timeline is tight.', 'Numbers look better than last month.', 'We parked the pricing question.', 'Some concern about dependencies.', 'Recap of last week, nothing new.'];

/** What a solution script does differently from the oracle (all false: the oracle). */
interface Quirks {
  actionOnly?: boolean;
  keepDone?: boolean;
  keepAt?: boolean;
  fileOrder?: boolean;
  dueOnly?: boolean;
  restOfLine?: boolean;
  /** Acceptable: every field quoted, CRLF line ends. */
  quotedCrlf?: boolean;
}

function solve(q: Quirks = {}): string {
  const marker = q.actionOnly ? 'ACTION' : '(?:ACTION|Action|AI)';
  const owner = q.keepAt ? '(@\\S+)' : '@(\\S+)';
  const rest = q.restOfLine ? '(.*?(\\(due (\\d{4}-\\d{2}-\\d{2})\\)))' : '(.*?)\\s+\\(due (\\d{4}-\\d{2}-\\d{2})\\)';
  const due = q.restOfLine ? 'm.group(4)' : 'm.group(3)';
  const sort = q.fileOrder ? '' : q.dueOnly ? 'rows.sort(key=lambda r: r[0])' : 'rows.sort()';
  const writer = q.quotedCrlf ? 'csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\\r\\n")' : 'csv.writer(f, lineterminator="\\n")';
  return `#!/usr/bin/env bash
set -euo pipefail
python3 - <<'PY'
import csv, glob, re
rows = []
for path in sorted(glob.glob("notes/*.md")):
    for line in open(path):
        if ${q.keepDone ? 'False' : '"~~" in line'}:
            continue
        m = re.search(r"${marker}:\\s*${owner}\\s+${rest}", line)
        if m:
            rows.append((${due}, m.group(1), m.group(2)))
${sort}
with open("action_items.csv", "w", newline="") as f:
    w = ${writer}
    w.writerow(["owner", "task", "due"])
    for due, owner, task in rows:
        w.writerow([owner, task, due])
PY
`;
}

export const meetingActionItems: Family = {
  id: 'meeting-action-items',
  version: 3,
  category: 'Productivity & Collaboration',
  subcategory: 'meeting notes and summaries',
  summary: 'Extract ACTION lines from meeting notes into action_items.csv sorted by due date.',
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const team = people(rng, 3 + difficulty);
    const meetings = 1 + Math.floor(difficulty / 2);
    const year = rng.int(2024, 2026);
    interface Entry { owner: string; task: string; due: string; marker: string; done: boolean; chatter: string }
    const heads: string[] = [];
    const entries: Entry[][] = [];
    const usedTasks = new Set<string>();
    for (let m = 0; m < meetings; m++) {
      const topic = rng.pick(TOPICS);
      heads.push(`# ${topic} — ${isoDate(year, rng.int(1, 6), rng.int(1, 28))}`);
      const list: Entry[] = [];
      const n = 2 + rng.int(0, difficulty);
      for (let k = 0; k < n; k++) {
        const chatter = rng.pick(CHATTER);
        let task = rng.pick(TASKS);
        if (usedTasks.has(task)) task = `${task} (${topic})`;
        if (usedTasks.has(task)) continue;
        usedTasks.add(task);
        // Harder notes vary the marker's spelling; a done item (struck through) is not an open action.
        const marker = difficulty >= 3 ? rng.pick(['ACTION:', 'Action:', 'AI:']) : 'ACTION:';
        list.push({ owner: rng.pick(team).first, task, due: isoDate(year, rng.int(7, 12), rng.int(1, 28)), marker, done: difficulty >= 4 && rng.chance(0.2), chatter });
      }
      entries.push(list);
    }
    const all = entries.flat();
    const open = () => all.filter((e) => !e.done);
    // Every stated rule must change the answer: two open items share a due date and appear out of
    // (owner, task) order; at difficulty 3+ one uses another marker; at 4+ one is done.
    while (open().length < 2 + (difficulty >= 4 ? 1 : 0)) {
      const task = TASKS.find((t) => !usedTasks.has(t)) ?? `follow up ${usedTasks.size}`;
      usedTasks.add(task);
      const e: Entry = { owner: rng.pick(team).first, task, due: isoDate(year, rng.int(7, 12), rng.int(1, 28)), marker: 'ACTION:', done: false, chatter: rng.pick(CHATTER) };
      entries[entries.length - 1]!.push(e);
      all.push(e);
    }
    const [first, second] = open();
    const byName = [...team].sort((a, b) => cmp(a.first, b.first));
    first!.owner = byName[byName.length - 1]!.first;
    second!.owner = byName[0]!.first;
    second!.due = first!.due;
    if (difficulty >= 4 && !all.some((e) => e.done)) open()[open().length - 1]!.done = true;
    if (difficulty >= 3 && open().every((e) => e.marker === 'ACTION:')) open()[open().length - 1]!.marker = rng.pick(['Action:', 'AI:']);
    const files: Record<string, string> = {};
    entries.forEach((list, m) => {
      const lines = [heads[m]!, '', `Attendees: ${team.map((p) => p.first).join(', ')}`, ''];
      for (const e of list) {
        lines.push(`- ${e.chatter}`);
        const item = `${e.marker} @${e.owner} ${e.task} (due ${e.due})`;
        lines.push(e.done ? `- ~~${item}~~ done` : `- ${item}`);
      }
      files[`notes/meeting-${m + 1}.md`] = lines.join('\n') + '\n';
    });
    const items = open().map(({ owner, task, due }) => ({ owner, task, due }));
    items.sort((a, b) => cmp(a.due, b.due) || cmp(a.owner, b.owner) || cmp(a.task, b.task));
    const markers = difficulty >= 3 ? '`ACTION:`, `Action:` or `AI:`' : '`ACTION:`';
    const noteList = Object.keys(files).map((f) => `\`${f}\``).join(', ');
    const ask = say(rng, [
      `Please go through the meeting notes in \`notes/\` (${noteList}) and collect every open action item.`,
      `Can you pull the action items out of our ${meetings > 1 ? `${meetings} meeting notes` : 'meeting notes'} (${noteList})?`,
      `I need a single list of who owes what from ${noteList}.`,
      `After the ${meetings > 1 ? 'meetings' : 'meeting'} with ${team.slice(0, 3).map((p) => p.first).join(', ')} I lost track of the follow-ups — extract them from \`notes/\`, please.`,
      `Compile the to-dos recorded in ${noteList} into a tracker file.`,
      `Could you turn the action items in \`notes/\` into a CSV for ${team[0]!.first}'s tracker?`,
    ]);
    const instruction = voiced(ctx, ask, [
      say(rng, [`- Action items are the lines marked ${markers}.`, `- Look for lines starting with ${markers}.`, `- An action item is any line carrying the marker ${markers}.`]),
      say(rng, [
        '- Write them to `action_items.csv` with the header `owner,task,due` — owner without the @, the task text, the due date as YYYY-MM-DD —',
        '- Save `action_items.csv` (header `owner,task,due`): the owner\'s name without `@`, the task as written, and the due date (YYYY-MM-DD),',
        '- Output file: `action_items.csv`, columns `owner,task,due` (owner minus the @, the task wording, due as YYYY-MM-DD),',
      ]),
      say(rng, ['  sorted by due date (earliest first; ties by owner, then task).', '  ordered by due date ascending, then owner, then task.', '  earliest due date first; break ties by owner and then task.']),
      ...(difficulty >= 4 ? [say(rng, ['- Items that are struck through and marked done are closed: leave them out.', '- Skip anything struck through (~~…~~) as done.', '- Closed items (crossed out, "done") do not belong in the list.'])] : []),
    ]);
    const rules: Rule[] = [
      { id: 'owner-without-at', text: 'the owner is written without the @' },
      { id: 'by-due-date', text: 'rows are sorted by due date, earliest first' },
      { id: 'ties-by-owner-then-task', text: 'rows with the same due date are ordered by owner, then task' },
      ...(difficulty >= 3 ? [{ id: 'every-marker', text: `action items are the lines marked ${markers}` }] : []),
      ...(difficulty >= 4 ? [{ id: 'skip-done', text: 'struck-through items marked done are left out' }] : []),
    ];
    const mutants: Mutant[] = [
      { id: 'keeps-at', kind: 'wrong', rule: 'owner-without-at', description: 'writes owners as @name', solution: solve({ keepAt: true }) },
      { id: 'file-order', kind: 'wrong', rule: 'by-due-date', description: 'keeps the items in the order the notes list them', solution: solve({ fileOrder: true }) },
      { id: 'ties-in-file-order', kind: 'wrong', rule: 'ties-by-owner-then-task', description: 'sorts by due date only (a stable sort: ties stay in file order)', solution: solve({ dueOnly: true }) },
      ...(difficulty >= 3 ? [{ id: 'action-marker-only', kind: 'wrong' as const, rule: 'every-marker', description: 'only picks up lines marked ACTION:', solution: solve({ actionOnly: true }) }] : []),
      ...(difficulty >= 4 ? [{ id: 'keeps-done', kind: 'wrong' as const, rule: 'skip-done', description: 'lists struck-through items too', solution: solve({ keepDone: true }) }] : []),
      { id: 'rest-of-line', kind: 'wrong', shortcut: 'takes everything after the owner as the task, "(due …)" included', description: 'the task keeps its due-date suffix', solution: solve({ restOfLine: true }) },
      { id: 'quoted-crlf', kind: 'variant', description: 'every field quoted and CRLF line ends (still the same CSV)', solution: solve({ quotedCrlf: true }) },
    ];
    return {
      title: `Collect action items from ${meetings} meeting note${meetings > 1 ? 's' : ''}`,
      instruction,
      workspace: files,
      solution: solve(),
      rules,
      mutants,
      checks: [
        { id: 'csv_shape', type: 'csv', path: 'action_items.csv', columns: ['owner', 'task', 'due'], row_count: items.length },
        {
          id: 'csv_rows',
          type: 'csv',
          path: 'action_items.csv',
          cells: items.flatMap((it, row) => [
            { row, column: 'owner', equals: it.owner },
            { row, column: 'task', equals: it.task },
            { row, column: 'due', equals: it.due },
          ]),
        },
        { id: 'sorted_by_due', type: 'csv', path: 'action_items.csv', sorted_by: { column: 'due', order: 'asc' } },
      ],
      operations: ['read local text files', 'extract structured information', 'write CSV output'],
    };
  },
};
