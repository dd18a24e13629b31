/**
 * What the trajectory debugger's end-to-end test opens: a task, a claw run of it recorded by the
 * real CLI against the scripted Chat Completions server (test/mock-llm.ts) — trajectory.json,
 * events.jsonl, snapshots.git — and a generated 2,000-step trajectory for the render figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI, runCli, tempDir, type CliResult } from '../helpers.ts';
import type { MockLlm, ScriptedTurn } from '../mock-llm.ts';
import { syntheticTrajectory } from '../trajectory-fixtures.ts';

export const DIGEST_TASK = 'notes-digest';
export const SUMMARY = 'A note about a quick brown fox.\n';
/** Markup in the agent's text: the debugger must show it as text. */
export const AGENT_MARKUP = '<img src=x onerror=alert(1)> Let me look at the notes.';

const TASK_YAML = `id: ${DIGEST_TASK}
title: Fix a typo and summarise the notes
instruction: |
  Fix the typo in notes.txt and write a one-line summary of it to summary.md.
category: Harness Probes
subcategory: trajectory debugger
difficulty: 1
timeout_sec: 120
provenance:
  route: manual
  generator: clawgym-e2e
verify:
  checks:
    - id: summary_written
      type: file_exists
      path: summary.md
    - id: typo_fixed
      type: text_contains
      path: notes.txt
      text: the quick brown fox
`;

export function writeDigestTask(tasksDir: string): string {
  const dir = join(tasksDir, DIGEST_TASK);
  write(join(dir, 'task.yaml'), TASK_YAML);
  write(join(dir, 'workspace', 'notes.txt'), 'teh quick brown fox\njumps over the lazy dog\n');
  return dir;
}

/**
 * Six turns (ATIF steps #3–#8 after the system prompt and the instruction): read, a read that
 * fails, write summary.md, edit notes.txt, a command that changes nothing, the answer.
 * `gate` holds the fourth model call back until it settles (to watch the run live).
 */
export function digestScript(gate?: Promise<unknown>): ScriptedTurn[] {
  return [
    { content: AGENT_MARKUP, tool_calls: [{ name: 'read', arguments: { path: 'notes.txt' } }] },
    { tool_calls: [{ name: 'read', arguments: { path: 'missing.txt' } }] },
    { content: 'Writing the summary.', tool_calls: [{ name: 'write', arguments: { path: 'summary.md', content: SUMMARY } }] },
    { tool_calls: [{ name: 'edit', arguments: { path: 'notes.txt', oldText: 'teh quick', newText: 'the quick' } }], ...(gate ? { gate } : {}) },
    { tool_calls: [{ name: 'exec', arguments: { command: 'wc -l notes.txt summary.md' } }] },
    { content: 'Fixed the typo and wrote summary.md.' },
  ];
}

/** A CLI config with a made-up key and prices, so the trajectory has costs. */
export function clawConfig(): string {
  const file = join(tempDir('clawgym-e2e-llm-'), 'config.json');
  writeFileSync(file, JSON.stringify({ api_key: 'sk-e2e-not-a-secret', max_retries: 1, prices: { 'mock-model': { input_per_mtok: 3, output_per_mtok: 15 } } }));
  return file;
}

function clawArgs(task: string, out: string, llm: MockLlm, config: string): string[] {
  return ['run', task, '--agent', 'claw', '--model', 'mock-model', '--base-url', llm.url, '--config', config, '--out', out, '--json'];
}

/** Run the claw agent on `task` through the real CLI into `out`; the trial folder. */
export async function recordClawRun(task: string, out: string, llm: MockLlm, config: string): Promise<string> {
  const r: CliResult = await runCli(clawArgs(task, out, llm, config));
  const trial = join(out, 'trials', DIGEST_TASK, '1');
  let results = '';
  try {
    results = readFileSync(join(out, 'results.jsonl'), 'utf8');
  } catch {
    /* reported below */
  }
  const line = results ? (JSON.parse(results.trim().split('\n')[0]!) as { error: string | null }) : null;
  if (r.code !== 0 || !line || line.error) throw new Error(`the recorded claw run failed (exit ${r.code}): ${line?.error ?? ''}\n${r.stderr}`);
  return trial;
}

/** Start the same run without waiting for it (a live run); the child process. */
export function startClawRun(task: string, out: string, llm: MockLlm, config: string): ChildProcess {
  return spawn(process.execPath, [CLI, ...clawArgs(task, out, llm, config)], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A generated trajectory of `steps` steps, saved as `<folder>/trajectories/trajectory-<steps>.json`. */
export function writeBigTrajectory(folder: string, steps: number): string {
  const file = join(folder, 'trajectories', `trajectory-${steps}.json`);
  write(file, `${JSON.stringify(syntheticTrajectory(steps), null, 2)}\n`);
  return file;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  if (path.endsWith('.sh')) chmodSync(path, 0o755);
}
