/**
 * Hybrid verification of a final workspace: hidden tests made visible, every check evaluated
 * (declarative ones on the host, scripts in the sandbox), the code score and the rubric part
 * combined with the task's weights. A rubric is scored by the LLM judge when one is configured;
 * a rubric that no judge scored (none configured, or the judge failed) is reported "not judged"
 * and excluded — never invented. A judge failure is the trial's error (kind `judge`).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ClawgymError, errorMessage, type ErrorKind } from '../errors.js';
import type { CallRecorder } from '../llm/recorder.js';
import type { Bind, Sandbox } from '../sandbox/sandbox.js';
import { checkIds } from '../task/schema.js';
import type { Task } from '../task/task.js';
import { listFileSet } from '../task/fileset.js';
import { makeDirFor, materializeFileSet, placeHiddenFiles, type Owner } from '../workspace/copy.js';
import { evaluateDeclarative, type DeclarativeContext } from './declarative.js';
import { WorkspaceReader } from './files.js';
import type { RubricJudge } from './judge.js';
import type { CheckResult, VerifyResult } from './result.js';
import { evaluateScript, isScriptCheck } from './scripts.js';
import { parseTranscript, type TranscriptEntry } from '../trace/transcript.js';

export interface VerifyOptions {
  task: Task;
  /** Host folder of the final workspace (hidden files will be added to it). */
  workspace: string;
  sandbox: Sandbox;
  owner?: Owner;
  /** Host folder for the verifier's own files. */
  scratch: string;
  transcriptPath: string;
  /** Per-script timeout (ms) when the check sets none. */
  timeoutMs?: number;
  /** Scores the rubric; without it a rubric is "not judged" and excluded. */
  judge?: RubricJudge;
  /** Where the judge's model calls are recorded (a trial's llm/judge-calls.jsonl). */
  judgeCalls?: CallRecorder;
  signal?: AbortSignal;
}

/** Bind or copy the hidden tests; returns the binds the verifier sandbox needs and top-level hidden dirs. */
async function exposeTests(o: VerifyOptions): Promise<{ binds: Bind[]; hiddenDirs: Set<string> }> {
  const { tests, spec } = o.task;
  const mountAt = spec.verify.tests_mount;
  if (!tests) return { binds: [], hiddenDirs: new Set() };
  if (isAbsolute(mountAt)) {
    // Copied rather than bound from the task folder, which the sandbox uid may not be able to reach.
    const host = join(o.scratch, 'tests');
    await makeDirFor(host, o.owner);
    await materializeFileSet(tests, host, o.owner);
    return { binds: [{ host, dest: mountAt, readOnly: true }], hiddenDirs: new Set() };
  }
  await placeHiddenFiles(tests, o.workspace, mountAt, o.owner);
  const top = mountAt.split('/').filter((p) => p && p !== '.')[0];
  const hidden = new Set<string>();
  if (top) hidden.add(top);
  else for (const f of await listFileSet(tests)) hidden.add(f.path);
  return { binds: [], hiddenDirs: hidden };
}

const SEVERITY: Record<ErrorKind, number> = { harness: 5, task: 4, verifier: 3, judge: 2, not_judged: 1, usage: 0 };

export async function verifyWorkspace(o: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const { spec } = o.task;
  // o.scratch is made only by the checks that need it: most trials never write there.
  let exposed: { binds: Bind[]; hiddenDirs: Set<string> };
  try {
    exposed = await exposeTests(o);
  } catch (e) {
    return failed(o, `cannot place the hidden verifier files: ${errorMessage(e)}`, e instanceof ClawgymError ? e.kind : 'harness', started);
  }
  const ws = new WorkspaceReader(o.workspace);
  let originalCache: Promise<Map<string, () => Promise<Buffer>>> | undefined;
  let transcriptCache: Promise<TranscriptEntry[]> | undefined;
  const dctx: DeclarativeContext = {
    ws,
    hiddenDirs: exposed.hiddenDirs,
    original: () =>
      (originalCache ??= (async () => {
        const m = new Map<string, () => Promise<Buffer>>();
        for (const set of o.task.workspace) {
          for (const f of await listFileSet(set)) {
            m.set(f.path, async () => (f.content !== undefined ? Buffer.from(f.content) : readFile(f.from!)));
          }
        }
        return m;
      })()),
    transcript: () =>
      (transcriptCache ??= readFile(o.transcriptPath, 'utf8')
        .then(parseTranscript)
        .catch(() => [])),
  };
  const sctx = {
    sandbox: o.sandbox,
    workspace: o.workspace,
    mount: spec.mount,
    binds: exposed.binds,
    scratch: o.scratch,
    transcriptPath: o.transcriptPath,
    owner: o.owner,
    timeoutMs: o.timeoutMs ?? 300_000,
  };

  const ids = checkIds(spec.verify.checks);
  const checks: CheckResult[] = [];
  for (const [i, c] of spec.verify.checks.entries()) {
    const t0 = performance.now();
    const base = { id: ids[i]!, type: c.type, weight: c.weight };
    try {
      const out = isScriptCheck(c) ? await evaluateScript(c, sctx) : await evaluateDeclarative(c, dctx);
      checks.push({ ...base, ...out, score: clamp(out.score), passed: out.score >= 1 - 1e-9, duration_ms: performance.now() - t0 });
    } catch (e) {
      const kind: ErrorKind = e instanceof ClawgymError ? e.kind : 'verifier';
      checks.push({ ...base, score: null, passed: false, message: errorMessage(e), error: errorMessage(e), error_kind: kind, duration_ms: performance.now() - t0 });
    }
  }

  const scored = checks.filter((c) => c.weight > 0);
  const totalW = scored.reduce((a, c) => a + c.weight, 0);
  const code = !spec.verify.checks.length ? null : totalW > 0 ? scored.reduce((a, c) => a + c.weight * (c.score ?? 0), 0) / totalW : 0;

  const hasRubric = !!spec.verify.rubric && (spec.verify.rubric.rules.length > 0 || !!spec.verify.rubric.text);
  const rubric = await rubricPart(o, hasRubric, checks, dctx, exposed.hiddenDirs);
  const { reward, applied: weights_applied } = hybridReward(code, rubric.score, spec.verify.weights);

  const worst = checks.filter((c) => c.error).sort((a, b) => SEVERITY[b.error_kind!] - SEVERITY[a.error_kind!])[0];
  let error: string | null = worst ? `${worst.id}: ${worst.error}` : null;
  let error_kind: ErrorKind | null = worst?.error_kind ?? null;
  if (rubric.error && (!worst || SEVERITY[worst.error_kind!] < SEVERITY.judge)) {
    error = `rubric: ${rubric.error}`;
    error_kind = 'judge';
  }
  if (!error && code === null && rubric.status !== 'judged') {
    error = rubric.status === 'not_judged' ? 'nothing to score without the LLM judge: the task has only a rubric' : 'the task has no checks';
    error_kind = rubric.status === 'not_judged' ? 'not_judged' : 'task';
  }
  return {
    task_id: spec.id,
    reward,
    passed: !error && reward >= spec.verify.pass - 1e-9,
    pass_threshold: spec.verify.pass,
    code: { score: code, checks },
    rubric,
    weights_applied,
    error,
    error_kind,
    duration_ms: performance.now() - started,
    verified_at: new Date().toISOString(),
  };
}

/** The rubric part: absent, not judged (no judge, or it failed: then `error`), or judged. */
async function rubricPart(o: VerifyOptions, hasRubric: boolean, checks: CheckResult[], dctx: DeclarativeContext, hiddenDirs: ReadonlySet<string>): Promise<VerifyResult['rubric']> {
  if (!hasRubric) return { status: 'absent', score: null, message: 'no rubric' };
  const notJudged = 'not judged: no LLM judge ran; the rubric part is excluded from the reward';
  if (!o.judge) return { status: 'not_judged', score: null, message: `${notJudged} (give --judge-model to judge it)` };
  // The trial is about to be retried from scratch: judging this attempt would be wasted calls.
  if (checks.some((c) => c.error_kind === 'harness')) return { status: 'not_judged', score: null, message: `${notJudged} (harness error in the checks)` };
  try {
    const v = await o.judge.judge(
      { instruction: o.task.spec.instruction, rubric: o.task.spec.verify.rubric!, mount: o.task.spec.mount, ws: dctx.ws, original: dctx.original, hiddenDirs, transcript: dctx.transcript },
      { recorder: o.judgeCalls, signal: o.signal },
    );
    const summary = v.judgments.map((j) => `${j.rule} ${j.score}`).join(', ');
    return { status: 'judged', score: v.score, message: `judged by ${v.model}: ${summary}`, judgments: v.judgments, model: v.model, files: v.files };
  } catch (e) {
    if (o.signal?.aborted) throw e;
    const msg = errorMessage(e);
    return { status: 'not_judged', score: null, message: `not judged: the judge failed (${msg}); the rubric part is excluded from the reward`, model: o.judge.model, error: msg };
  }
}

/**
 * The hybrid reward: the task's code/rubric weights over the parts that were scored; a part that is
 * absent or not judged is excluded and the other carries the whole weight.
 */
export function hybridReward(code: number | null, rubric: number | null, w: { code: number; rubric: number }): { reward: number; applied: { code: number; rubric: number } } {
  const wc = code === null ? 0 : w.code;
  const wr = rubric === null ? 0 : w.rubric;
  if (wc + wr === 0) {
    if (code !== null) return { reward: code, applied: { code: 1, rubric: 0 } };
    if (rubric !== null) return { reward: rubric, applied: { code: 0, rubric: 1 } };
    return { reward: 0, applied: { code: 0, rubric: 0 } };
  }
  const applied = { code: wc / (wc + wr), rubric: wr / (wc + wr) };
  return { reward: applied.code * (code ?? 0) + applied.rubric * (rubric ?? 0), applied };
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function failed(o: VerifyOptions, message: string, kind: ErrorKind, started: number): VerifyResult {
  return {
    task_id: o.task.spec.id,
    reward: 0,
    passed: false,
    pass_threshold: o.task.spec.verify.pass,
    code: { score: null, checks: [] },
    rubric: { status: 'absent', score: null, message: '' },
    weights_applied: { code: 0, rubric: 0 },
    error: message,
    error_kind: kind,
    duration_ms: performance.now() - started,
    verified_at: new Date().toISOString(),
  };
}
