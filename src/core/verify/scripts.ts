/**
 * Checks that run programs in the verifier sandbox: ClawGym reward.sh / check.py, PinchBench
 * grade(), Harbor tests/test.sh, and plain commands. A script that crashes or prints garbage is a
 * verifier error (named with its file); a missing interpreter is a harness error, never a score.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError, VerifierError } from '../errors.js';
import type { Bind, Sandbox, SandboxResult } from '../sandbox/sandbox.js';
import { debianPackageFor } from '../sandbox/probe.js';
import type { Check } from '../task/schema.js';
import { show, type Outcome } from './declarative.js';
import { chownTree, makeDirFor, type Owner } from '../workspace/copy.js';

export interface ScriptContext {
  sandbox: Sandbox;
  workspace: string;
  mount: string;
  binds: Bind[];
  /** Host folder for the verifier's scratch files (grade runner, Harbor logs). */
  scratch: string;
  transcriptPath: string;
  /** Owner of what the sandbox must write (Harbor's /logs), when it runs as another uid. */
  owner?: Owner;
  timeoutMs: number;
}

type Of<T extends Check['type']> = Extract<Check, { type: T }>;
export type ScriptCheck = Of<'script'> | Of<'command'> | Of<'pinchbench_grade'> | Of<'harbor_test'>;

/** The script file a command line runs, for messages: `bash reward/reward.sh` → reward/reward.sh. */
export function scriptFileOf(run: string): string {
  const tok = run.split(/\s+/).find((t) => /\.(sh|py|rb|js)$/.test(t));
  return tok ?? run;
}

/** Recognise "interpreter not found" in a failed script's stderr. */
export function missingInterpreter(r: SandboxResult): string | undefined {
  const err = r.stderr;
  const m =
    /(?:^|\n)(?:[^\n]*: )?(?:line \d+: )?([A-Za-z0-9_.+-]+): (?:command )?not found/.exec(err) ??
    /FileNotFoundError: \[Errno 2\] No such file or directory: '([A-Za-z0-9_.+-]+)'/.exec(err) ??
    /env: '?([A-Za-z0-9_.+-]+)'?: No such file or directory/.exec(err) ??
    /Errno::ENOENT\) No such file or directory - ([A-Za-z0-9_.+-]+)\b/.exec(err);
  return m?.[1];
}

function failIfHarness(r: SandboxResult, file: string): void {
  const tool = missingInterpreter(r);
  if (tool) {
    throw new HarnessError(
      `${file}: the sandbox has no "${tool}" (install it on this machine: apt-get install -y ${debianPackageFor(tool)}; see "Sandbox environment" in the README)`,
    );
  }
  if (r.exitCode === null && !r.timedOut && r.signal) throw new HarnessError(`${file}: killed by ${r.signal}`);
}

function tail(s: string, n = 800): string {
  const t = s.trim();
  return t.length > n ? `…${t.slice(-n)}` : t;
}

async function runInSandbox(ctx: ScriptContext, run: string, timeoutSec?: number, extraBinds: Bind[] = []): Promise<SandboxResult> {
  return ctx.sandbox.run({
    argv: ['bash', '-c', run],
    workspace: ctx.workspace,
    mount: ctx.mount,
    binds: [...ctx.binds, ...extraBinds],
    timeoutMs: timeoutSec ? timeoutSec * 1000 : ctx.timeoutMs,
  });
}

/** Parse a reward: a float in [0,1] on the last line, or a JSON dict of named scores (their mean). */
export function parseReward(stdout: string, mode: 'auto' | 'float' | 'json'): { score: number; details?: Record<string, number> } | string {
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1) ?? '';
  if (mode !== 'json' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(last)) {
    const v = Number(last);
    return v >= 0 && v <= 1 ? { score: v } : `reward ${last} is outside [0,1]`;
  }
  const shown = last ? JSON.stringify(last.slice(0, 200)) : '(no output)';
  if (mode === 'float') return `last stdout line is not a number: ${shown}`;
  for (const candidate of [stdout.trim(), last]) {
    let data: unknown;
    try {
      data = JSON.parse(candidate);
    } catch {
      continue;
    }
    const d = dictScores(data);
    if (typeof d !== 'string') return d;
    return d;
  }
  return `output is neither a number nor a JSON dict of scores: ${shown}`;
}

function dictScores(data: unknown): { score: number; details?: Record<string, number> } | string {
  if (typeof data === 'number') return data >= 0 && data <= 1 ? { score: data } : `reward ${data} is outside [0,1]`;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'JSON output is not a dict of scores';
  const details: Record<string, number> = {};
  for (const [k, v] of Object.entries(data)) {
    const n = typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : NaN;
    if (!Number.isFinite(n) || n < 0 || n > 1) return `score "${k}" = ${JSON.stringify(v)} is not a number in [0,1]`;
    details[k] = n;
  }
  const vals = Object.values(details);
  if (!vals.length) return 'JSON dict of scores is empty';
  return { score: vals.reduce((a, b) => a + b, 0) / vals.length, details };
}

/** A Harbor reward.json: the "reward" key is the reward, beside other named scores; without one, their mean. */
function harborRewards(data: unknown): { score: number; details?: Record<string, number> } | string {
  const parsed = dictScores(data);
  if (typeof parsed === 'string' || !parsed.details || !('reward' in parsed.details)) return parsed;
  const { reward, ...rest } = parsed.details;
  return { score: reward!, details: Object.keys(rest).length ? rest : undefined };
}

async function scriptCheck(c: Of<'script'>, ctx: ScriptContext): Promise<Outcome & { details?: Record<string, number> }> {
  const file = scriptFileOf(c.run);
  const r = await runInSandbox(ctx, c.run, c.timeout_sec);
  failIfHarness(r, file);
  if (r.timedOut) throw new VerifierError(`${file}: timed out`);
  if (r.exitCode !== 0) {
    if (r.exitCode === 127 || /No such file or directory/.test(r.stderr) && /reward\.sh|check\.py/.test(r.stderr)) {
      throw new VerifierError(`${file}: not found or not runnable (exit ${r.exitCode}): ${tail(r.stderr)}`);
    }
    throw new VerifierError(`${file}: exited ${r.exitCode}: ${tail(r.stderr) || tail(r.stdout)}`);
  }
  const parsed = parseReward(r.stdout, c.output);
  if (typeof parsed === 'string') throw new VerifierError(`${file}: ${parsed}`);
  return { score: parsed.score, details: parsed.details, message: `${file} scored ${round(parsed.score)}`, expected: '1', actual: show(parsed.details ?? parsed.score) };
}

async function commandCheck(c: Of<'command'>, ctx: ScriptContext): Promise<Outcome> {
  const r = await runInSandbox(ctx, c.run, c.timeout_sec);
  failIfHarness(r, c.run);
  if (r.timedOut) return { score: 0, message: `\`${c.run}\` timed out`, expected: `exit ${c.exit_code}`, actual: 'timeout' };
  const failures: string[] = [];
  if (r.exitCode !== c.exit_code) failures.push(`exit ${r.exitCode} (expected ${c.exit_code})`);
  const out = r.stdout;
  if (c.stdout_contains !== undefined && !out.includes(c.stdout_contains)) failures.push(`stdout lacks ${JSON.stringify(c.stdout_contains)}`);
  if (c.stdout_matches !== undefined && !new RegExp(c.stdout_matches, 'm').test(out)) failures.push(`stdout does not match /${c.stdout_matches}/`);
  if (c.stdout_equals !== undefined && out.trim() !== c.stdout_equals.trim()) failures.push('stdout differs');
  return {
    score: failures.length ? 0 : 1,
    message: failures.length ? `\`${c.run}\`: ${failures.join('; ')}` : `\`${c.run}\` as expected`,
    expected: [`exit ${c.exit_code}`, c.stdout_contains, c.stdout_matches, c.stdout_equals].filter(Boolean).join('; '),
    actual: `exit ${r.exitCode}; stdout: ${show(tail(out, 500))}${r.stderr.trim() ? `; stderr: ${show(tail(r.stderr, 500))}` : ''}`,
  };
}

/** Loads the transcript, runs the task's grade(), prints the dict after a marker. */
const GRADE_RUNNER = `
import json, sys, traceback
transcript = []
try:
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                try: transcript.append(json.loads(line))
                except Exception: pass
except FileNotFoundError:
    pass
ns = {"__name__": "clawgym_grade"}
src = open(sys.argv[1], encoding="utf-8").read()
exec(compile(src, sys.argv[4], "exec"), ns)
grade = ns.get("grade")
if not callable(grade):
    print("CLAWGYM_NO_GRADE", file=sys.stderr); sys.exit(3)
result = grade(transcript, sys.argv[3])
print("\\n@@CLAWGYM_GRADE@@" + json.dumps(result, default=str))
`;

async function pinchbenchCheck(c: Of<'pinchbench_grade'>, ctx: ScriptContext): Promise<Outcome & { details?: Record<string, number> }> {
  const file = c.source ?? 'grade()';
  const dir = join(ctx.scratch, 'grade');
  await makeDirFor(dir, ctx.owner);
  await writeFile(join(dir, 'runner.py'), GRADE_RUNNER);
  await writeFile(join(dir, 'grade.py'), c.code);
  const transcript = await readFile(ctx.transcriptPath).catch(() => Buffer.from(''));
  await writeFile(join(dir, 'transcript.jsonl'), transcript);
  if (ctx.owner) await chownTree(dir, ctx.owner); // read by the sandbox uid, whatever the umask
  const r = await runInSandbox(
    ctx,
    `python3 /clawgym-grade/runner.py /clawgym-grade/grade.py /clawgym-grade/transcript.jsonl ${ctx.mount} ${JSON.stringify(file)}`,
    c.timeout_sec,
    [{ host: dir, dest: '/clawgym-grade', readOnly: true }],
  );
  failIfHarness(r, file);
  if (r.timedOut) throw new VerifierError(`${file}: grade() timed out`);
  if (r.stderr.includes('CLAWGYM_NO_GRADE')) throw new VerifierError(`${file}: no function grade(transcript, workspace_path) defined`);
  if (r.exitCode !== 0) throw new VerifierError(`${file}: grade() crashed: ${tail(r.stderr)}`);
  const marker = r.stdout.lastIndexOf('@@CLAWGYM_GRADE@@');
  const parsed = marker < 0 ? 'grade() printed no result' : dictScores(safeJson(r.stdout.slice(marker + 17)));
  if (typeof parsed === 'string') throw new VerifierError(`${file}: ${parsed}`);
  return { score: parsed.score, details: parsed.details, message: `grade() scored ${round(parsed.score)}`, expected: '1', actual: show(parsed.details ?? parsed.score) };
}

async function harborCheck(c: Of<'harbor_test'>, ctx: ScriptContext): Promise<Outcome & { details?: Record<string, number> }> {
  const logs = join(ctx.scratch, 'harbor-logs');
  await makeDirFor(join(logs, 'verifier'), ctx.owner);
  if (ctx.owner) await chownTree(logs, ctx.owner); // test.sh writes reward.txt there as the sandbox uid
  const r = await runInSandbox(ctx, c.run, c.timeout_sec, [{ host: logs, dest: '/logs', readOnly: false }]);
  failIfHarness(r, 'tests/test.sh');
  if (r.timedOut) throw new VerifierError('tests/test.sh: timed out');
  const txt = await readFile(join(logs, 'verifier', 'reward.txt'), 'utf8').catch(() => undefined);
  const json = await readFile(join(logs, 'verifier', 'reward.json'), 'utf8').catch(() => undefined);
  // As Harbor >= 0.20 reads them: reward.json first (its "reward" key when it has one), then reward.txt.
  const parsed = json !== undefined ? harborRewards(safeJson(json)) : txt !== undefined ? parseReward(txt, 'float') : undefined;
  if (parsed === undefined) {
    throw new VerifierError(`tests/test.sh wrote neither /logs/verifier/reward.txt nor reward.json (exit ${r.exitCode}): ${tail(r.stderr) || tail(r.stdout)}`);
  }
  if (typeof parsed === 'string') throw new VerifierError(`tests/test.sh: ${parsed}`);
  return { score: parsed.score, details: parsed.details, message: `tests/test.sh scored ${round(parsed.score)}`, expected: '1', actual: show(parsed.details ?? parsed.score) };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s.trim());
  } catch {
    return undefined;
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function isScriptCheck(c: Check): c is ScriptCheck {
  return c.type === 'script' || c.type === 'command' || c.type === 'pinchbench_grade' || c.type === 'harbor_test';
}

export function evaluateScript(c: ScriptCheck, ctx: ScriptContext): Promise<Outcome & { details?: Record<string, number> }> {
  switch (c.type) {
    case 'script':
      return scriptCheck(c, ctx);
    case 'command':
      return commandCheck(c, ctx);
    case 'pinchbench_grade':
      return pinchbenchCheck(c, ctx);
    case 'harbor_test':
      return harborCheck(c, ctx);
  }
}
