/** Productivity & Collaboration: pull the action items out of meeting notes into a sorted CSV. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { cmp, isoDate, people } from './common.js';
import { say } from './phrasing.js';

const TOPICS = ['Q3 roadmap', 'hiring plan', 'vendor review', 'launch retro', 'budget sync', 'security audit', 'customer escalations', 'office move'];
const TASKS = ['send the revised proposal', 'book the venue', 'update the onboarding doc', 'review the contract', 'draft the announcement', 'collect quotes from vendors', 'fix the staging deploy', 'schedule user interviews', 'prepare the board slides', 'clean up the CRM duplicates', 'renew the SSL certificate', 'write the incident report'];
const CHATTER = ['Discussion went long on scope.', 'Everyone agreed the timeline is tight.', 'Numbers look better than last month.', 'We parked the pricing question.', 'Some concern about dependencies.', 'Recap of last week, nothing new.'];

export const meetingActionItems: Family = {
  id: 'meeting-action-items',
  version: 2,
  category: 'Productivity & Collaboration',
  subcategory: 'meeting notes and summaries',
  summary: 'Extract ACTION lines from meeting notes into action_items.csv sorted by due date.',
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const team = people(rng, 3 + difficulty);
    const meetings = 1 + Math.floor(difficulty / 2);
    const year = rng.int(2024, 2026);
    const items: Array<{ owner: string; task: string; due: string }> = [];
    const files: Record<string, string> = {};
    const usedTasks = new Set<string>();
    for (let m = 0; m < meetings; m++) {
      const topic = rng.pick(TOPICS);
      const lines = [`# ${topic} — ${isoDate(year, rng.int(1, 6), rng.int(1, 28))}`, '', `Attendees: ${team.map((p) => p.first).join(', ')}`, ''];
      const n = 2 + rng.int(0, difficulty);
      for (let k = 0; k < n; k++) {
        lines.push(`- ${rng.pick(CHATTER)}`);
        let task = rng.pick(TASKS);
        if (usedTasks.has(task)) task = `${task} (${topic})`;
        if (usedTasks.has(task)) continue;
        usedTasks.add(task);
        const owner = rng.pick(team).first;
        const due = isoDate(year, rng.int(7, 12), rng.int(1, 28));
        // Harder notes vary the marker's spelling; a done item (struck through) is not an open action.
        const marker = difficulty >= 3 ? rng.pick(['ACTION:', 'Action:', 'AI:']) : 'ACTION:';
        const done = difficulty >= 4 && rng.chance(0.2);
        lines.push(done ? `- ~~${marker} @${owner} ${task} (due ${due})~~ done` : `- ${marker} @${owner} ${task} (due ${due})`);
        if (!done) items.push({ owner, task, due });
      }
      files[`notes/meeting-${m + 1}.md`] = lines.join('\n') + '\n';
    }
    if (!items.length) {
      const owner = team[0]!.first;
      const due = isoDate(year, 9, 15);
      files['notes/meeting-1.md'] += `- ACTION: @${owner} circulate the notes (due ${due})\n`;
      items.push({ owner, task: 'circulate the notes', due });
    }
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
    const solution = `#!/usr/bin/env bash
set -euo pipefail
python3 - <<'PY'
import csv, glob, re
rows = []
for path in sorted(glob.glob("notes/*.md")):
    for line in open(path):
        if "~~" in line:
            continue
        m = re.search(r"(?:ACTION|Action|AI):\\s*@(\\S+)\\s+(.*?)\\s+\\(due (\\d{4}-\\d{2}-\\d{2})\\)", line)
        if m:
            rows.append((m.group(3), m.group(1), m.group(2)))
rows.sort()
with open("action_items.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(["owner", "task", "due"])
    for due, owner, task in rows:
        w.writerow([owner, task, due])
PY
`;
    return {
      title: `Collect action items from ${meetings} meeting note${meetings > 1 ? 's' : ''}`,
      instruction,
      workspace: files,
      solution,
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
