/**
 * Export any loaded task as a Harbor task folder that Harbor scores as ClawGym does: task.toml (the
 * task's timeouts and memory, no network: ClawGym's sandbox has none), instruction.md,
 * environment/ (a Dockerfile that builds what ClawGym's sandbox offers — the task environment
 * contract — with the workspace copied into its WORKDIR, the task mount), solution/, and tests/
 * whose test.sh computes the reward from the task's checks (tests/clawgym_checks.py) into
 * reward.json's `reward` key. A task that came from Harbor keeps its own environment/ and tests/.
 * What does not carry over (no oracle, a rubric, transcript checks) is returned as notes.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { stringify as stringifyToml } from 'smol-toml';
import { UsageError } from '../errors.js';
import { listFileSet, type ListedFile } from './fileset.js';
import { CLAWGYM_CHECKS_PY } from './harbor-checks.js';
import { copySets, writeStaged } from './save.js';
import { checkIds, type Check } from './schema.js';
import { HARBOR_BASE_IMAGE, TASK_ENVIRONMENT, TASK_TOOLS } from './task-environment.js';
import type { Task } from './task.js';

/** The limits a ClawGym run gives the task (the sandbox's; the task layer does not know them). */
export interface HarborExportOptions {
  /** The sandbox's memory limit (MiB): task.toml `memory_mb`. */
  memoryMb?: number;
}

/** What the export could not carry over, for the user (convert prints them) and for task.toml. */
export interface HarborExportResult {
  notes: string[];
}

const HARBOR_ENTRIES = ['task.toml', 'instruction.md', 'environment', 'solution', 'tests'];
const GENERATED_TESTS = new Set(['test.sh', 'clawgym_checks.py', 'checks.json']);
const TRANSCRIPT_CHECKS = new Set<Check['type']>(['tool_used', 'turn_count']);
const PROGRAM_CHECKS = new Set<Check['type']>(['script', 'command', 'pinchbench_grade', 'harbor_test']);

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Single-quote a string for bash. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function difficultyWord(d: number | undefined): string | undefined {
  if (d === undefined) return undefined;
  return d <= 2 ? 'easy' : d === 3 ? 'medium' : 'hard';
}

/** Drop undefined values (TOML has no null) from a plain object tree. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (!isRecord(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null).map(([k, x]) => [k, clean(x)]));
}

/** Verifier budget: the program checks run one after another, plus a minute for the rest. */
function verifierTimeout(checks: readonly Check[]): number {
  const programs = checks.filter((c) => PROGRAM_CHECKS.has(c.type));
  if (programs.length === 1 && 'timeout_sec' in programs[0]! && programs[0].timeout_sec) return programs[0].timeout_sec;
  const sum = programs.reduce((a, c) => a + (('timeout_sec' in c && c.timeout_sec) || 300), 0);
  return Math.max(60, sum + (checks.length > programs.length ? 60 : 0));
}

/** Harbor >= 0.20 names it network_mode; earlier versions read allow_internet. Both are written. */
const NO_NETWORK = { allow_internet: false, network_mode: 'no-network' } as const;

export function harborToml(task: Task, opts: HarborExportOptions = {}, notes: readonly string[] = []): string {
  const { spec } = task;
  // A task imported from Harbor keeps the rest of its task.toml (author, environment limits…).
  const base = isRecord(spec.metadata?.harbor) ? (structuredClone(spec.metadata.harbor) as Record<string, unknown>) : {};
  const section = (k: string) => (isRecord(base[k]) ? base[k] : {});
  const toml = {
    ...base,
    version: typeof base.version === 'string' ? base.version : '1.0',
    metadata: {
      ...section('metadata'),
      category: spec.category,
      subcategory: spec.subcategory,
      difficulty: difficultyWord(spec.difficulty) ?? section('metadata').difficulty,
      tags: spec.tags,
      clawgym_notes: notes.length ? [...notes] : undefined,
    },
    verifier: { ...section('verifier'), timeout_sec: verifierTimeout(spec.verify.checks) },
    agent: { ...section('agent'), timeout_sec: spec.timeout_sec },
    environment: keepsOwnEnvironment(task) ? base.environment : exportedEnvironment(section('environment'), opts),
  };
  return `${stringifyToml(clean(toml) as Record<string, unknown>)}\n`;
}

/**
 * [environment] for the generated image: what ClawGym's sandbox gives the task — no network, its
 * memory limit (unless the task brought its own) — over whatever else a Harbor origin said.
 */
function exportedEnvironment(original: Record<string, unknown>, opts: HarborExportOptions): Record<string, unknown> {
  // docker_image would replace the generated Dockerfile; allowed_hosts contradicts no-network.
  const { docker_image: _image, allowed_hosts: _hosts, ...rest } = original;
  const hasMemory = rest.memory_mb !== undefined || rest.memory !== undefined;
  return { ...rest, ...NO_NETWORK, ...(hasMemory || opts.memoryMb === undefined ? {} : { memory_mb: opts.memoryMb }) };
}

/** A Harbor task exported back keeps its own image (and so its own environment settings). */
function keepsOwnEnvironment(task: Task): boolean {
  return task.format === 'harbor' && existsSync(join(task.source, 'environment'));
}

/** Double-quoted for a Dockerfile (ENV): quotes, backslashes and `$` escaped. */
const dockerQuote = (s: string) => `"${s.replace(/[\\"$]/g, '\\$&')}"`;

/** The install step of the generated image: the task environment contract's packages. */
export const HARBOR_APT_INSTALL =
  'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ' +
  `${TASK_TOOLS.map((t) => t.debian).join(' ')} && rm -rf /var/lib/apt/lists/*`;

/** The image ClawGym's sandbox amounts to (the task environment contract), the workspace in its WORKDIR. */
export function harborDockerfile(mount: string, hasWorkspace: boolean): string {
  const env = { ...TASK_ENVIRONMENT.env, WORKSPACE: mount };
  const lines = [
    "# What ClawGym's sandbox offers every task: Debian with the tools of ClawGym's task environment",
    `# contract (${TASK_TOOLS.map((t) => t.name).join(', ')}), its variables, the workspace at the mount.`,
    `FROM ${HARBOR_BASE_IMAGE}`,
    `RUN ${HARBOR_APT_INSTALL}`,
    `ENV ${Object.entries(env).map(([k, v]) => `${k}=${dockerQuote(v)}`).join(' ')}`,
    `WORKDIR ${mount}`,
  ];
  if (hasWorkspace) lines.push(/\s/.test(mount) ? `COPY ${JSON.stringify(['workspace/', `${mount}/`])}` : `COPY workspace/ ${mount}/`);
  return `${lines.join('\n')}\n`;
}

/** Top-level names that hold the hidden files in the workspace (no_unexpected_files ignores them). */
async function hiddenNames(task: Task): Promise<string[]> {
  const mount = task.spec.verify.tests_mount;
  if (!task.tests || isAbsolute(mount)) return [];
  const top = mount.split('/').filter((p) => p && p !== '.')[0];
  if (top) return [top];
  return (await listFileSet(task.tests)).map((f) => f.path);
}

async function sha256(f: ListedFile): Promise<string> {
  const data = f.content !== undefined ? Buffer.from(f.content) : await readFile(f.from!);
  return createHash('sha256').update(data).digest('hex');
}

/** checks.json: the checks with their ids, plus what the Python side cannot see (original files). */
export async function checksJson(task: Task): Promise<{ json: unknown; skipped: Check[] }> {
  const { spec } = task;
  const original = new Map<string, ListedFile>();
  for (const set of task.workspace) for (const f of await listFileSet(set)) original.set(f.path, f);
  const ids = checkIds(spec.verify.checks);
  const checks: unknown[] = [];
  const skipped: Check[] = [];
  for (const [i, c] of spec.verify.checks.entries()) {
    if (TRANSCRIPT_CHECKS.has(c.type)) {
      skipped.push({ ...c, id: ids[i] });
      continue;
    }
    const entry: Record<string, unknown> = { ...c, id: ids[i] };
    if (c.type === 'file_unchanged') {
      const f = original.get(c.path);
      entry.sha256 = f ? await sha256(f) : null;
    }
    checks.push(entry);
  }
  return {
    json: { task_id: spec.id, mount: spec.mount, hidden: await hiddenNames(task), original_files: [...original.keys()].sort(), checks },
    skipped,
  };
}

function testSh(task: Task, skipped: readonly Check[], hiddenAt: string | undefined): string {
  const { spec } = task;
  const lines = [
    '#!/usr/bin/env bash',
    `# Generated by ClawGym from task ${spec.id}: runs the task's checks (tests/checks.json) with`,
    "# tests/clawgym_checks.py and writes /logs/verifier/reward.json: the weighted reward as \"reward\" (what",
    '# Harbor records) beside each check\'s score; the same reward goes to reward.txt for older Harbor.',
    '# CLAWGYM_WORKSPACE and CLAWGYM_LOGS override the paths, to run it outside the container.',
    'set -u',
    'TESTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    `WS="\${CLAWGYM_WORKSPACE:-}"; [ -n "$WS" ] || WS=${shq(spec.mount)}`,
    'LOGS="${CLAWGYM_LOGS:-/logs/verifier}"',
    'mkdir -p "$LOGS"',
  ];
  const mount = spec.verify.tests_mount;
  if (hiddenAt) {
    lines.push('# The hidden verifier files appear only now, where the task expects them.');
    if (isAbsolute(mount)) lines.push(`mkdir -p ${shq(mount)} && cp -a "$TESTS/hidden/." ${shq(`${mount}/`)}`);
    else if (mount === '.' || mount === '') lines.push('cp -a "$TESTS/hidden/." "$WS/"');
    else lines.push(`rm -rf "$WS"/${shq(mount)} && mkdir -p "$WS"/${shq(mount)} && cp -a "$TESTS/hidden/." "$WS"/${shq(`${mount}/`)}`);
  }
  for (const c of skipped) {
    lines.push(`# skipped: ${c.type} check "${c.id}": transcript checks need the agent's OpenClaw transcript, which Harbor does not keep.`);
  }
  const rubric = spec.verify.rubric;
  if (rubric && (rubric.rules.length || rubric.text)) {
    lines.push("# not exported: the LLM-judge rubric (Harbor's test.sh has no judge); the reward is the code checks' score.");
  }
  if (spec.verify.checks.some((c) => c.type === 'pinchbench_grade')) {
    lines.push('# grade() gets an empty transcript unless CLAWGYM_TRANSCRIPT names an OpenClaw session JSONL.');
  }
  lines.push('cd "$WS" || exit 1', 'python3 "$TESTS/clawgym_checks.py" --workspace "$WS" --logs "$LOGS" --checks "$TESTS/checks.json"', '');
  return lines.join('\n');
}

/** A task imported from Harbor whose only check is its own test.sh: keep tests/ as they are. */
function isPlainHarbor(task: Task): boolean {
  const { checks, tests_mount } = task.spec.verify;
  return !!task.tests && tests_mount === '/tests' && checks.length > 0 && checks.every((c) => c.type === 'harbor_test');
}

async function writeTests(task: Task, dir: string): Promise<void> {
  if (isPlainHarbor(task)) return copySets(task, [task.tests!], dir, 'tests');
  await mkdir(dir, { recursive: true });
  let hiddenAt: string | undefined;
  if (task.tests) {
    // The task's hidden files sit at tests/ itself when they belong at /tests (Harbor mounts tests/ there).
    hiddenAt = task.spec.verify.tests_mount === '/tests' ? dir : join(dir, 'hidden');
    if (hiddenAt === dir) {
      const clash = (await listFileSet(task.tests)).find((f) => GENERATED_TESTS.has(f.path));
      if (clash) throw new UsageError(`${task.spec.id}: the task's hidden file ${clash.path} clashes with the generated tests/${clash.path}`);
    }
    await copySets(task, [task.tests], hiddenAt, 'tests');
  }
  const { json, skipped } = await checksJson(task);
  await writeFile(join(dir, 'checks.json'), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(dir, 'clawgym_checks.py'), CLAWGYM_CHECKS_PY, { mode: 0o755 });
  await writeFile(join(dir, 'test.sh'), testSh(task, skipped, hiddenAt === dir ? undefined : hiddenAt), { mode: 0o755 });
  await chmod(join(dir, 'test.sh'), 0o755);
}

/** What a Harbor run of this task will not see, said once per task. */
function exportNotes(task: Task, skipped: readonly Check[]): string[] {
  const { spec } = task;
  const notes: string[] = [];
  if (!task.solution) notes.push("no oracle solution (solution/solve.sh): Harbor's oracle agent cannot run this task");
  const rubric = spec.verify.rubric;
  if (rubric && (rubric.rules.length || rubric.text)) {
    notes.push("the LLM-judge rubric is not exported (Harbor's test.sh has no judge): the reward is the code checks' score");
  }
  if (skipped.length) {
    notes.push(`transcript checks skipped (Harbor keeps no OpenClaw transcript): ${skipped.map((c) => c.id).join(', ')}`);
  }
  if (!isPlainHarbor(task) && spec.verify.checks.length === skipped.length) notes.push('no check can run in Harbor: every trial scores 0');
  return notes;
}

export async function exportHarborTask(task: Task, outDir: string, opts: HarborExportOptions = {}): Promise<HarborExportResult> {
  const { spec } = task;
  const skipped = isPlainHarbor(task) ? [] : (await checksJson(task)).skipped;
  const notes = exportNotes(task, skipped);
  await writeStaged(outDir, HARBOR_ENTRIES, async (stage) => {
    await writeFile(join(stage, 'task.toml'), harborToml(task, opts, notes));
    await writeFile(join(stage, 'instruction.md'), spec.instruction.endsWith('\n') ? spec.instruction : `${spec.instruction}\n`);
    const env = join(stage, 'environment');
    if (keepsOwnEnvironment(task)) {
      await copySets(task, [{ kind: 'dir', root: join(task.source, 'environment') }], env, 'environment');
    } else {
      await mkdir(env, { recursive: true });
      if (task.workspace.length) await copySets(task, task.workspace, join(env, 'workspace'), 'workspace');
      await writeFile(join(env, 'Dockerfile'), harborDockerfile(spec.mount, task.workspace.length > 0));
    }
    if (task.solution) await copySets(task, [task.solution], join(stage, 'solution'), 'solution');
    await writeTests(task, join(stage, 'tests'));
  });
  return { notes };
}
