/**
 * The native task model. This zod schema is the single source of truth: it validates task.yaml
 * on load, generates the JSON Schema (`clawgym schema`), and drives the language server (its
 * completion and hover docs come from the `.describe()` texts).
 * Every other format (ClawGym, SynData, PinchBench, Harbor) is loaded into this same shape.
 */
import { z } from 'zod';

export const DEFAULT_MOUNT = '/root/.openclaw/workspace';
export const DEFAULT_TIMEOUT_SEC = 600;

/** A relative path inside the workspace: no absolute paths, no `..` segments. */
export const WorkspacePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a relative path inside the workspace (no leading "/" and no "..")',
  })
  .describe('A path relative to the workspace root.');

const Normalize = z
  .object({
    case: z.boolean().default(false).describe('Compare case-insensitively.'),
    whitespace: z
      .boolean()
      .default(false)
      .describe('Collapse runs of whitespace to one space and trim both ends.'),
    trailing_newline: z.boolean().default(true).describe('Ignore one trailing newline.'),
  })
  .partial()
  .describe('How text is normalised before comparing.');

const CheckBase = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, "_", ".", ":" or "-"')
    .optional()
    .describe('Unique id of the check within the task; defaults to `<type>_<index>`.'),
  weight: z.number().min(0).default(1).describe('Relative weight of the check in the code score.'),
  description: z.string().optional().describe('What the check means, for people.'),
};

const TimeoutSec = z.number().positive().optional().describe("The verifier's time limit for this check, in seconds.");

const FileExists = z
  .object({ ...CheckBase, type: z.literal('file_exists'), path: WorkspacePath })
  .describe('The file (or folder) exists in the workspace.');
const FileAbsent = z
  .object({ ...CheckBase, type: z.literal('file_absent'), path: WorkspacePath })
  .describe('The path does not exist in the workspace.');
const FileUnchanged = z
  .object({ ...CheckBase, type: z.literal('file_unchanged'), path: WorkspacePath })
  .describe('The file has the same bytes as in the task workspace the agent started with.');

const TextContains = z
  .object({
    ...CheckBase,
    type: z.literal('text_contains'),
    path: WorkspacePath,
    text: z.union([z.string(), z.array(z.string()).min(1)]).describe('Text(s) that must all appear.'),
    normalize: Normalize.optional(),
  })
  .describe('The file contains every given text. Partial credit: the fraction found.');
const TextNotContains = z
  .object({
    ...CheckBase,
    type: z.literal('text_not_contains'),
    path: WorkspacePath,
    text: z.union([z.string(), z.array(z.string()).min(1)]).describe('Text(s) none of which may appear.'),
    normalize: Normalize.optional(),
  })
  .describe('The file contains none of the given texts.');
const TextMatches = z
  .object({
    ...CheckBase,
    type: z.literal('text_matches'),
    path: WorkspacePath,
    pattern: z.string().describe('A JavaScript regular expression.'),
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .default('m')
      .describe('Regular-expression flags, from `i`, `m`, `s`, `u` (default `m`: `^` and `$` match at line breaks).'),
  })
  .describe('The file matches a regular expression.');
const TextEquals = z
  .object({
    ...CheckBase,
    type: z.literal('text_equals'),
    path: WorkspacePath,
    text: z.string().describe('The expected content.'),
    normalize: Normalize.optional(),
  })
  .describe('The file equals the given text (after normalisation).');

const ValueAssertion = {
  equals: z.unknown().optional().describe('The value must deep-equal this.'),
  exists: z.boolean().optional().describe('The path must (or must not) resolve.'),
  matches: z.string().optional().describe('The value, as a string, must match this regex.'),
  contains: z.unknown().optional().describe('The array value contains this element, or the string this substring.'),
  min: z.number().optional().describe('The value must be a number ≥ this.'),
  max: z.number().optional().describe('The value must be a number ≤ this.'),
  tolerance: z.number().min(0).optional().describe('Absolute tolerance for numeric `equals`.'),
};
const JsonPath = z
  .object({
    ...CheckBase,
    type: z.literal('json_path'),
    path: WorkspacePath,
    query: z.string().describe('A path such as `$.totals.count` or `$.items[0].name`.'),
    ...ValueAssertion,
  })
  .describe('A value inside a JSON file.');
const YamlPath = z
  .object({
    ...CheckBase,
    type: z.literal('yaml_path'),
    path: WorkspacePath,
    query: z.string().describe('A path such as `$.server.port` or `$.items[0].name`.'),
    ...ValueAssertion,
  })
  .describe('A value inside a YAML file.');

const Csv = z
  .object({
    ...CheckBase,
    type: z.literal('csv'),
    path: WorkspacePath,
    delimiter: z.string().length(1).default(',').describe('The field separator: one character (default `,`).'),
    columns: z.array(z.string()).optional().describe('The header row, exactly and in order.'),
    row_count: z.number().int().min(0).optional().describe('Number of data rows (header excluded).'),
    cells: z
      .array(
        z.object({
          row: z.number().int().min(0).describe('0-based data row index.'),
          column: z.string().describe('The column, by its header name.'),
          equals: z.union([z.string(), z.number()]).describe('The expected cell value.'),
        }),
      )
      .optional()
      .describe('Expected values of single cells.'),
    sorted_by: z
      .object({
        column: z.string().describe('The column, by its header name.'),
        order: z.enum(['asc', 'desc']).default('asc').describe('`asc` (default) or `desc`.'),
        numeric: z.boolean().default(false).describe('Compare as numbers instead of as text.'),
      })
      .optional()
      .describe('The data rows are sorted by a column.'),
  })
  .describe('Structure and content of a CSV file. Partial credit: the fraction of assertions met.');

const LineCount = z
  .object({
    ...CheckBase,
    type: z.literal('line_count'),
    path: WorkspacePath,
    equals: z.number().int().min(0).optional().describe('Exactly this many lines.'),
    min: z.number().int().min(0).optional().describe('At least this many lines.'),
    max: z.number().int().min(0).optional().describe('At most this many lines.'),
  })
  .describe('The number of lines in a file.');

const NoUnexpectedFiles = z
  .object({
    ...CheckBase,
    type: z.literal('no_unexpected_files'),
    allow: z.array(z.string()).default([]).describe('Globs of new files that are allowed.'),
  })
  .describe('No file exists that was neither in the starting workspace nor allowed.');

const Command = z
  .object({
    ...CheckBase,
    type: z.literal('command'),
    run: z.string().describe('A shell command line, run with bash in the verifier sandbox.'),
    exit_code: z.number().int().default(0).describe('The expected exit code (default 0).'),
    stdout_contains: z.string().optional().describe('Standard output contains this text.'),
    stdout_matches: z.string().optional().describe('Standard output matches this regular expression.'),
    stdout_equals: z.string().optional().describe('Standard output equals this text (trailing whitespace ignored).'),
    timeout_sec: TimeoutSec,
  })
  .describe("A command's exit code and output.");

const Script = z
  .object({
    ...CheckBase,
    type: z.literal('script'),
    run: z.string().describe('A shell command line, e.g. `bash reward/reward.sh` or `python3 /tests/check.py`.'),
    output: z
      .enum(['auto', 'float', 'json'])
      .default('auto')
      .describe('`float`: last stdout line is a number in [0,1]; `json`: a dict of named scores; `auto`: either.'),
    timeout_sec: TimeoutSec,
  })
  .describe('A verifier script: reward.sh printing a float, or check.py printing a JSON dict of scores.');

const PinchbenchGrade = z
  .object({
    ...CheckBase,
    type: z.literal('pinchbench_grade'),
    code: z.string().describe('Python source defining `grade(transcript, workspace_path) -> dict`.'),
    source: z.string().optional().describe('Where the code came from (file and line), for messages.'),
    timeout_sec: TimeoutSec,
  })
  .describe("PinchBench's automated checks: the mean of `grade()`'s criterion scores.");

const HarborTest = z
  .object({
    ...CheckBase,
    type: z.literal('harbor_test'),
    run: z.string().default('bash /tests/test.sh').describe('The test command (default `bash /tests/test.sh`).'),
    timeout_sec: TimeoutSec,
  })
  .describe("Harbor's tests/test.sh, which writes /logs/verifier/reward.txt or reward.json.");

const ToolUsed = z
  .object({
    ...CheckBase,
    type: z.literal('tool_used'),
    tool: z.string().describe('The tool name as the transcript records it (e.g. `exec`, `write`).'),
    min: z.number().int().min(0).default(1).describe('At least this many calls (default 1).'),
  })
  .describe('The transcript shows the agent called this tool at least `min` times.');
const TurnCount = z
  .object({
    ...CheckBase,
    type: z.literal('turn_count'),
    min: z.number().int().min(0).optional().describe('At least this many assistant turns.'),
    max: z.number().int().min(0).optional().describe('At most this many assistant turns.'),
  })
  .describe('The number of assistant turns in the transcript.');

export const Check = z.discriminatedUnion('type', [
  FileExists,
  FileAbsent,
  FileUnchanged,
  TextContains,
  TextNotContains,
  TextMatches,
  TextEquals,
  JsonPath,
  YamlPath,
  Csv,
  LineCount,
  NoUnexpectedFiles,
  Command,
  Script,
  PinchbenchGrade,
  HarborTest,
  ToolUsed,
  TurnCount,
]);
export type Check = z.infer<typeof Check>;
export type CheckType = Check['type'];
export const CHECK_TYPES = Check.options.map((o) => o.shape.type.value) as CheckType[];

/** ClawGym's rubric schema (SynData `rule`). */
export const RubricRule = z
  .object({
    name: z.string().describe('What the rule judges.'),
    file_path: z.string().optional().describe('The workspace file the judge reads for this rule.'),
    scores: z.record(z.string(), z.string()).describe('Score option (as a string) → what earns it.'),
  })
  .describe('One rule the judge scores.');
export const Rubric = z
  .object({
    eval_type: z.literal('llm_rubric').default('llm_rubric').describe('Always `llm_rubric`.'),
    score_options: z
      .array(z.number().min(0).max(1))
      .default([0, 0.25, 0.5, 0.75, 1])
      .describe('The scores a rule may get, each in [0,1] (default 0, 0.25, 0.5, 0.75, 1).'),
    rules: z.array(RubricRule).default([]).describe('The rules, each scored by the judge; the rubric score is their mean.'),
    text: z.string().optional().describe('A free-text rubric (PinchBench `## LLM Judge Rubric`).'),
  })
  .describe("LLM-judge rules in ClawGym's rubric schema.");
export type Rubric = z.infer<typeof Rubric>;

export const Weights = z
  .object({
    code: z.number().min(0).default(0.7).describe('Weight of the code checks in the reward, in [0,1] (default 0.7).'),
    rubric: z.number().min(0).default(0.3).describe('Weight of the LLM rubric in the reward, in [0,1] (default 0.3).'),
  })
  .describe('Hybrid weighting of the code score and the rubric score (ClawGym-Bench: 0.7 / 0.3).');

export const Verify = z
  .object({
    checks: z.array(Check).default([]).describe('Deterministic checks; the code score is their weighted mean.'),
    rubric: Rubric.nullable().optional(),
    weights: Weights.default({ code: 0.7, rubric: 0.3 }),
    pass: z.number().min(0).max(1).default(1).describe('A trial passes when its reward reaches this.'),
    tests_mount: z
      .string()
      .default('/tests')
      .describe(
        'Where the hidden `tests/` files appear for the verifier: an absolute sandbox path (bound read-only), ' +
          'or a workspace-relative folder they are copied into after the agent ends (ClawGym: `reward`).',
      ),
  })
  .describe('How the resulting workspace is scored: code checks, an LLM rubric, and their weights.');
export type Verify = z.infer<typeof Verify>;

export const ReviewStatus = z.enum(['pending', 'accepted', 'rejected', 'needs_edit']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;
export const Review = z
  .object({
    status: ReviewStatus.default('pending').describe('`pending` (default), `accepted`, `rejected` or `needs_edit`.'),
    notes: z.string().optional().describe("The reviewer's note."),
    reviewer: z.string().optional().describe('Who reviewed.'),
    updated: z.string().optional().describe('When (ISO 8601).'),
  })
  .describe('Curation state: whether the task is accepted into the bench.');

export const Provenance = z
  .object({
    route: z
      .enum(['persona', 'skill', 'procedural', 'manual', 'imported'])
      .default('manual')
      .describe('How the task was made: `persona`, `skill`, `procedural`, `manual` (default) or `imported`.'),
    persona: z.string().optional().describe('The persona of the persona route.'),
    skills: z.array(z.string()).optional().describe('The skills of the skill route.'),
    generator: z.string().optional().describe('The generator (e.g. a procedural family) and its version.'),
    model: z.string().optional().describe('The model that synthesized the task.'),
    seed: z.number().int().optional().describe('The random seed.'),
    source_format: z.string().optional().describe('For imported tasks: the format they came from.'),
    source: z.string().optional().describe('For imported tasks: where they came from.'),
  })
  .passthrough()
  .describe('Where the task came from (other keys are kept as they are).');

export const TaskLimits = z
  .object({
    memory_mb: z.number().int().positive().optional().describe("Memory of the agent's sandbox in MiB (default 4096): a cgroup memory limit where the machine allows one, else RLIMIT_DATA at twice this. `clawgym run --memory-mb` overrides it."),
    max_processes: z.number().int().positive().optional().describe("Processes and threads in the agent's sandbox (default 1024): a pids cgroup where the machine allows one, else RLIMIT_NPROC. `clawgym run --max-processes` overrides it."),
  })
  .strict()
  .describe("The sandbox's resource limits for this task (agent and verifier).");
export type TaskLimits = z.infer<typeof TaskLimits>;

export const TaskSpec = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "." or "-" (no spaces or slashes)')
      .describe('Unique task id.'),
    title: z.string().min(1).describe('A short human-readable title.'),
    instruction: z.string().min(1).describe('What the user asks the agent to do.'),
    category: z.string().optional().describe('Scenario category (from the seed taxonomy).'),
    subcategory: z.string().optional().describe('Scenario subcategory.'),
    operations: z.array(z.string()).default([]).describe('The atomic operations the task exercises.'),
    difficulty: z.number().int().min(1).max(5).optional().describe('1 (easiest) to 5 (hardest).'),
    timeout_sec: z.number().positive().default(DEFAULT_TIMEOUT_SEC).describe("The agent's wall-clock limit in seconds (default 600)."),
    limits: TaskLimits.optional(),
    mount: z
      .string()
      .regex(/^\/[^\0]*$/, 'must be an absolute path')
      .default(DEFAULT_MOUNT)
      .describe('Where the workspace appears inside the sandbox.'),
    tags: z.array(z.string()).optional().describe('Free-form labels.'),
    provenance: Provenance.optional(),
    review: Review.optional(),
    verify: Verify.default({
      checks: [],
      weights: { code: 0.7, rubric: 0.3 },
      pass: 1,
      tests_mount: '/tests',
    }),
    metadata: z.record(z.string(), z.unknown()).optional().describe('Free-form data kept as is.'),
  })
  .strict();
export type TaskSpec = z.infer<typeof TaskSpec>;
export type TaskSpecInput = z.input<typeof TaskSpec>;

/** The JSON Schema of task.yaml, generated from zod. */
export function taskJsonSchema(): unknown {
  return z.toJSONSchema(TaskSpec, { io: 'input', unrepresentable: 'any' });
}

/** Check ids default to `<type>_<index>`; ids must be unique within a task. */
export function checkIds(checks: readonly Check[]): string[] {
  return checks.map((c, i) => c.id ?? `${c.type}_${i + 1}`);
}
