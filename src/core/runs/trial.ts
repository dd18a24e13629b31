/**
 * One trial: materialize the workspace into a fresh trial folder → the agent runs in the sandbox →
 * hidden verifier files copied in → verify → verify.json, transcript and one result line.
 * Harness failures (ours, not the agent's or the task's) are retried in a fresh folder.
 */
import { statSync } from 'node:fs';
import { cp, lchown, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Agent } from '../agents/agent.js';
import { sumCallLog } from '../llm/usage.js';
import { ClawgymError, errorMessage, type ErrorKind , UsageError } from '../errors.js';
import { withDefaultLimits, type Sandbox } from '../sandbox/sandbox.js';
import { CallRecorder } from '../llm/recorder.js';
import type { Task } from '../task/task.js';
import type { RubricJudge } from '../verify/judge.js';
import { TranscriptWriter } from '../trace/transcript.js';
import type { VerifyResult } from '../verify/result.js';
import { verifyWorkspace } from '../verify/verify.js';
import { materializeWorkspace, type Owner } from '../workspace/copy.js';
import { EventLog } from '../trace/events.js';
import { agentFiles, trialDirOf, trialFile } from './folder.js';
import { agentCrash, type ResultLine } from './records.js';

export interface TrialOptions {
  task: Task;
  attempt: number;
  agent: Agent;
  sandbox: Sandbox;
  runDir: string;
  timeoutMultiplier: number;
  harnessRetries: number;
  /** Scores rubrics; its calls go to the trial's llm/judge-calls.jsonl. */
  judge?: RubricJudge;
  signal?: AbortSignal;
  /** The run's `--memory-mb` / `--max-processes`, over the task's own `limits`. */
  limits?: { memory_mb?: number; max_processes?: number };
}

/**
 * The sandbox uid must be able to reach the workspace path. When we run as root and the run
 * folder sits somewhere it cannot traverse (e.g. under /root), work in a scratch folder and move
 * the result into the trial folder at the end.
 */
function reachableBy(owner: Owner | undefined, dir: string): boolean {
  if (!owner) return true;
  for (let d = dir; ; d = dirname(d)) {
    const st = statOrUndefined(d);
    // An existing ancestor that "others" cannot traverse and that the sandbox uid does not own.
    if (st && !(st.mode & 0o001) && st.uid !== owner.uid) return false;
    if (d === dirname(d)) return true;
  }
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Verify a trial's (or an RL episode's) workspace as `clawgym run` does: the transcript beside it
 * (written by then), the verifier's scratch and the judge's calls in the trial folder, at least a
 * minute for the scripts.
 */
export function verifyTrialWorkspace(o: { task: Task; dir: string; workspace: string; sandbox: Sandbox; timeoutMs: number; judge?: RubricJudge; signal?: AbortSignal }): Promise<VerifyResult> {
  return verifyWorkspace({
    task: o.task,
    workspace: o.workspace,
    sandbox: o.sandbox,
    owner: o.sandbox.owner,
    scratch: trialFile(o.dir, 'verifier'),
    transcriptPath: trialFile(o.dir, 'transcript'),
    timeoutMs: Math.max(60_000, o.timeoutMs),
    judge: o.judge,
    judgeCalls: o.judge ? new CallRecorder(trialFile(o.dir, 'judgeCalls'), o.judge.client.secrets) : undefined,
    signal: o.signal,
  });
}

async function attemptOnce(o: TrialOptions, trialDir: string, events: EventLog): Promise<Omit<ResultLine, 'harness_retries'>> {
  const { task, attempt, agent } = o;
  const spec = task.spec;
  const sandbox = withDefaultLimits(o.sandbox, { memoryMb: o.limits?.memory_mb ?? spec.limits?.memory_mb, maxProcesses: o.limits?.max_processes ?? spec.limits?.max_processes });
  const t0 = performance.now();
  const owner = sandbox.owner;
  await rm(trialDir, { recursive: true, force: true });
  await mkdir(trialDir, { recursive: true });
  // Work where the sandbox uid can reach; move the result into the trial folder at the end.
  const scratchRoot = reachableBy(owner, trialDir) ? null : await mkdtemp(join(tmpdir(), 'clawgym-trial-'));
  if (scratchRoot && owner) await lchown(scratchRoot, owner.uid, owner.gid);
  const workDir = scratchRoot ?? trialDir;
  const ws = trialFile(workDir, 'workspace');
  events.emit({ type: 'trial_start', task_id: spec.id, attempt });
  events.emit({ type: 'phase', phase: 'setup', state: 'start' });
  await materializeWorkspace(task, ws, owner);
  const t1 = performance.now();
  events.emit({ type: 'phase', phase: 'setup', state: 'end', ms: t1 - t0 });

  // The user's turn; each agent writes its own turns after it.
  const transcript = new TranscriptWriter(spec.mount);
  transcript.add('user', [{ type: 'text', text: spec.instruction }]);
  const timeoutMs = spec.timeout_sec * 1000 * o.timeoutMultiplier;
  events.emit({ type: 'phase', phase: 'agent', state: 'start' });
  const files = agentFiles(workDir);
  const outcome = await agent.run({ task, sandbox, owner, workspace: ws, trialDir: workDir, files, timeoutMs, events, transcript, signal: o.signal });
  const t2 = performance.now();
  events.emit({ type: 'phase', phase: 'agent', state: 'end', ms: t2 - t1 });
  const transcriptPath = trialFile(workDir, 'transcript');
  await writeFile(transcriptPath, transcript.toJsonl());
  if (o.signal?.aborted) throw new UsageError('interrupted');

  events.emit({ type: 'phase', phase: 'verify', state: 'start' });
  const result = await verifyTrialWorkspace({ task, dir: workDir, workspace: ws, sandbox, timeoutMs, judge: o.judge, signal: o.signal });
  for (const c of result.code.checks) events.emit({ type: 'check', id: c.id, score: c.score, message: c.message });
  if (result.rubric.status !== 'absent') events.emit({ type: 'rubric', status: result.rubric.status, score: result.rubric.score, message: result.rubric.message });
  await writeFile(trialFile(workDir, 'verify'), JSON.stringify(result, null, 2));
  const t3 = performance.now();
  events.emit({ type: 'phase', phase: 'verify', state: 'end', ms: t3 - t2 });
  const [agentUsage, judgeUsage] = await Promise.all([sumCallLog(files.calls), sumCallLog(trialFile(workDir, 'judgeCalls'))]);
  if (scratchRoot) await moveInto(scratchRoot, trialDir);
  if (result.error_kind === 'harness') throw new ClawgymError('harness', result.error ?? 'harness error');
  const exit = { code: outcome.exitCode, signal: outcome.signal, timed_out: outcome.timedOut, ...(outcome.endReason ? { end_reason: outcome.endReason } : {}), ...(outcome.oomKilled ? { oom_killed: true } : {}) };
  return {
    task_id: spec.id,
    attempt,
    reward: result.reward,
    passed: result.passed,
    error: result.error,
    error_kind: result.error_kind,
    category: spec.category ?? null,
    agent: agent.name,
    agent_exit: exit,
    agent_crash: agentCrash(exit),
    ...(outcome.version ? { agent_version: outcome.version } : {}),
    code_score: result.code.score,
    rubric_score: result.rubric.score,
    timings: { setup_ms: t1 - t0, agent_ms: t2 - t1, verify_ms: t3 - t2, total_ms: t3 - t0 },
    ...(agentUsage || judgeUsage ? { llm: { agent: agentUsage, judge: judgeUsage } } : {}),
    trial_dir: relative(o.runDir, trialDir),
    finished_at: new Date().toISOString(),
  };
}

async function moveInto(from: string, to: string): Promise<void> {
  for (const name of await readdir(from)) {
    await rename(join(from, name), join(to, name)).catch(() => cp(join(from, name), join(to, name), { recursive: true, verbatimSymlinks: true }));
  }
  await rm(from, { recursive: true, force: true });
}

/** Run a trial, retrying harness errors; any other failure becomes an error result, never a throw. */
export async function runTrial(o: TrialOptions): Promise<ResultLine> {
  const trialDir = trialDirOf(o.runDir, o.task.spec.id, o.attempt);
  const events = new EventLog(trialFile(trialDir, 'events'));
  let lastError = '';
  let kind: ErrorKind = 'harness';
  for (let retry = 0; retry <= o.harnessRetries; retry++) {
    const t0 = performance.now();
    try {
      const r = await attemptOnce(o, trialDir, events);
      const line: ResultLine = { ...r, harness_retries: retry };
      events.emit({ type: 'trial_end', reward: line.reward, passed: line.passed, error: line.error });
      await writeFile(trialFile(trialDir, 'result'), JSON.stringify(line, null, 2));
      return line;
    } catch (e) {
      if (o.signal?.aborted) throw e;
      lastError = errorMessage(e);
      kind = e instanceof ClawgymError ? e.kind : 'harness';
      if (kind !== 'harness') {
        return errorLine(o, trialDir, lastError, kind, retry, performance.now() - t0, events);
      }
      if (retry < o.harnessRetries) {
        await mkdir(trialDir, { recursive: true });
        events.emit({ type: 'harness_retry', error: lastError });
      }
    }
  }
  return errorLine(o, trialDir, lastError, kind, o.harnessRetries, 0, events);
}

export interface ErrorResultInput {
  task: Task;
  attempt: number;
  agent: string;
  runDir: string;
  error: string;
  kind: ErrorKind;
  retries: number;
  ms: number;
}

/** The result line of a trial that ended in an error before it could be scored (reward 0). */
export function errorResult(o: ErrorResultInput): ResultLine {
  return {
    task_id: o.task.spec.id,
    attempt: o.attempt,
    reward: 0,
    passed: false,
    error: o.error,
    error_kind: o.kind,
    category: o.task.spec.category ?? null,
    agent: o.agent,
    agent_exit: null,
    code_score: null,
    rubric_score: null,
    timings: { setup_ms: 0, agent_ms: 0, verify_ms: 0, total_ms: o.ms },
    harness_retries: o.retries,
    trial_dir: relative(o.runDir, trialDirOf(o.runDir, o.task.spec.id, o.attempt)),
    finished_at: new Date().toISOString(),
  };
}

async function errorLine(o: TrialOptions, trialDir: string, error: string, kind: ErrorKind, retries: number, ms: number, events: EventLog): Promise<ResultLine> {
  const line = errorResult({ task: o.task, attempt: o.attempt, agent: o.agent.name, runDir: o.runDir, error, kind, retries, ms });
  await mkdir(trialDir, { recursive: true });
  events.emit({ type: 'trial_end', reward: 0, passed: false, error });
  await writeFile(trialFile(trialDir, 'result'), JSON.stringify(line, null, 2));
  return line;
}
