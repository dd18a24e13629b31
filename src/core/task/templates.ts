/**
 * Starting points for a new native task: each template is a complete, sound task (files the agent
 * starts with, checks, an oracle `solution/solve.sh` that passes them, a workspace nop fails), with
 * comments in task.yaml that say what each part is for. Written as text, not through the schema,
 * so the comments survive; `writeTemplateTask` reads the result back and refuses an invalid task.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { parseTaskYaml, TASK_FILE } from './native.js';
import { TaskSpec } from './schema.js';

export interface TaskTemplate {
  name: string;
  label: string;
  description: string;
  /** task.yaml with `{{id}}` and `{{title}}` placeholders. */
  taskYaml: string;
  /** Files the agent starts with, relative to workspace/. */
  workspace: Record<string, string>;
  /** solution/solve.sh: the oracle, run in the workspace. */
  solve: string;
}

const HEADER = `# A ClawGym task (README: "The native task format"). Validate it with
#   clawgym validate <this folder>
# and check it is sound: the oracle (solution/solve.sh) must score 1, the nop agent 0.
`;

export const TASK_TEMPLATES: readonly TaskTemplate[] = [
  {
    name: 'text-file',
    label: 'Edit a text file',
    description: 'The agent writes a one-line summary; checks: file exists, text contains (any case), line count.',
    taskYaml: `${HEADER}id: {{id}}
title: {{title}}
instruction: |
  Read notes/meeting.md and write a one-line summary of the decision taken to summary.txt.
  Do not change the meeting notes.
category: Planning & Knowledge
difficulty: 1
timeout_sec: 120
provenance:
  route: manual
review:
  status: pending
verify:
  checks:
    # Each check has an id (used in results) and an optional weight (default 1).
    - id: summary_exists
      type: file_exists
      path: summary.txt
    - id: names_the_decision
      type: text_contains
      path: summary.txt
      text: "Friday"
      normalize: { case: true }
      description: The decision was to ship on Friday.
    - id: one_line
      type: line_count
      path: summary.txt
      equals: 1
    # A check the untouched workspace passes (file_unchanged, no_unexpected_files…) would give
    # the nop agent a score above 0: check the agent's output instead.
`,
    workspace: {
      'notes/meeting.md': '# Release meeting\n\n- Options discussed: Wednesday, Friday.\n- Decision: we ship on Friday after the last QA pass.\n',
    },
    solve: `#!/usr/bin/env bash
set -euo pipefail
printf 'We ship on Friday, after the last QA pass.\\n' > summary.txt
`,
  },
  {
    name: 'json-report',
    label: 'Report as JSON from a CSV',
    description: 'The agent totals a CSV into report.json; checks: JSON values, one with a numeric tolerance.',
    taskYaml: `${HEADER}id: {{id}}
title: {{title}}
instruction: |
  data/sales.csv lists this week's sales (columns: day, amount). Write report.json with
  {"total": <sum of amount>, "days": <number of rows>}. Keep the data file as it is.
category: Analysis & Reasoning
difficulty: 2
timeout_sec: 180
provenance:
  route: manual
review:
  status: pending
verify:
  checks:
    - id: report_exists
      type: file_exists
      path: report.json
    - id: total
      type: json_path
      path: report.json
      query: $.total
      equals: 412.5
      tolerance: 0.01
      weight: 2
    - id: days
      type: json_path
      path: report.json
      query: $.days
      equals: 5
`,
    workspace: {
      'data/sales.csv': 'day,amount\nmon,80.25\ntue,92.00\nwed,75.50\nthu,101.75\nfri,63.00\n',
    },
    solve: `#!/usr/bin/env bash
set -euo pipefail
python3 - <<'PY'
import csv, json
rows = list(csv.DictReader(open("data/sales.csv")))
json.dump({"total": round(sum(float(r["amount"]) for r in rows), 2), "days": len(rows)}, open("report.json", "w"))
PY
`,
  },
  {
    name: 'csv-sort',
    label: 'Clean and sort a CSV',
    description: 'The agent writes a sorted, de-duplicated CSV; checks: columns, row count, order, a cell.',
    taskYaml: `${HEADER}id: {{id}}
title: {{title}}
instruction: |
  contacts.csv has duplicate rows. Write contacts-clean.csv with the same header, each
  contact once, sorted by name (A to Z).
category: Productivity & Collaboration
difficulty: 2
timeout_sec: 180
provenance:
  route: manual
review:
  status: pending
verify:
  checks:
    - id: clean_csv
      type: csv
      path: contacts-clean.csv
      columns: [name, email]
      row_count: 3
      sorted_by: { column: name, order: asc }
      cells:
        - { row: 0, column: name, equals: Ada }
`,
    workspace: {
      'contacts.csv': 'name,email\nGrace,grace@example.org\nAda,ada@example.org\nGrace,grace@example.org\nLinus,linus@example.org\n',
    },
    solve: `#!/usr/bin/env bash
set -euo pipefail
{ head -n 1 contacts.csv; tail -n +2 contacts.csv | sort -u -t, -k1,1; } > contacts-clean.csv
`,
  },
];

export function taskTemplate(name: string): TaskTemplate {
  const t = TASK_TEMPLATES.find((x) => x.name === name);
  if (!t) throw new UsageError(`unknown template "${name}" (one of: ${TASK_TEMPLATES.map((x) => x.name).join(', ')})`);
  return t;
}

const ID = TaskSpec.shape.id;

/** Why `id` cannot name a task (undefined: it can). */
export function taskIdProblem(id: string): string | undefined {
  const r = ID.safeParse(id);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/** A YAML double-quoted scalar: a title is text, whatever characters it holds. */
const quoted = (s: string): string => JSON.stringify(s);

/**
 * Write a new task folder `<parent>/<id>` from a template and return its path. Refuses an existing
 * folder (nothing is overwritten) and checks that the task.yaml written loads.
 */
export async function writeTemplateTask(template: TaskTemplate, parent: string, o: { id: string; title: string }): Promise<string> {
  const problem = taskIdProblem(o.id);
  if (problem) throw new UsageError(`task id "${o.id}": ${problem}`);
  const dir = join(parent, o.id);
  if (existsSync(dir)) throw new UsageError(`${dir} already exists`);
  const text = template.taskYaml.replace('{{id}}', o.id).replace('{{title}}', quoted(o.title.trim() || o.id));
  parseTaskYaml(text, join(dir, TASK_FILE)); // throws TaskLoadError with positions if a template were broken
  await mkdir(join(dir, 'solution'), { recursive: true });
  await writeFile(join(dir, TASK_FILE), text);
  for (const [rel, content] of Object.entries(template.workspace)) {
    const f = join(dir, 'workspace', rel);
    await mkdir(dirname(f), { recursive: true });
    await writeFile(f, content);
  }
  const solve = join(dir, 'solution', 'solve.sh');
  await writeFile(solve, template.solve);
  await chmod(solve, 0o755);
  return dir;
}
