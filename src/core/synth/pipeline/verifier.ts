/**
 * Verifier generation with a repair loop. The model writes checks (and/or check.py); the task is
 * materialized and tried for real in the sandbox: `nop` on the untouched workspace must run
 * without a verifier error and score exactly 0, and the reference solution (`oracle`) must score
 * 1. Each failure goes back to the model as the next turn; after `attempts` tries the draft is
 * dropped with the last failure's kind (verifier_crash, nop_nonzero, oracle_fail, invalid).
 */
import { join } from 'node:path';
import type { ChatCompletionMessageParam, LlmClient } from '../../llm/client.js';
import type { Agent } from '../../agents/agent.js';
import { nopAgent } from '../../agents/nop.js';
import { oracleAgent } from '../../agents/oracle.js';
import { errorMessage, HarnessError } from '../../errors.js';
import type { ResultLine } from '../../runs/records.js';
import { runTrial } from '../../runs/trial.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { loadOneTask } from '../../task/load.js';
import type { VerifyResult } from '../../verify/result.js';
import type { Skill } from '../skills.js';
import { askJson, type AskOptions } from './llm-json.js';
import { taskSpecOf, writeTaskFolder, type TaskMeta } from './materialize.js';
import { verifierPrompt } from './prompts.js';
import { VerifierAnswer, type Draft } from './schemas.js';
import { readTrialVerify } from '../../runs/folder.js';

export interface VerifierOutcome {
  ok: boolean;
  kind?: 'invalid' | 'verifier_crash' | 'nop_nonzero' | 'oracle_fail';
  reason?: string;
  answer?: VerifierAnswer;
  attempts: number;
  /** Each attempt's failure, in order (empty when the first one worked). */
  failures: string[];
}

export interface VerifierStageOptions {
  client: LlmClient;
  sandbox: Sandbox;
  meta: TaskMeta;
  draft: Draft;
  skills?: Skill[];
  /** The candidate task folder (rewritten each attempt). */
  taskDir: string;
  /** Where the trials of each attempt go. */
  trialsDir: string;
  attempts: number;
  ask: AskOptions;
}

async function trial(agent: Agent, taskDir: string, runDir: string, sandbox: Sandbox, signal?: AbortSignal): Promise<{ line: ResultLine; verify?: VerifyResult }> {
  const task = await loadOneTask(taskDir);
  const line = await runTrial({ task, attempt: 1, agent, sandbox, runDir, timeoutMultiplier: 1, harnessRetries: 1, signal });
  // No verify.json: the trial failed before verification (its error says why).
  return { line, verify: readTrialVerify(join(runDir, line.trial_dir)) };
}

function checkLines(v: VerifyResult | undefined, want: (score: number | null) => boolean): string {
  if (!v) return '';
  return v.code.checks
    .filter((c) => c.weight > 0 && want(c.score))
    .map((c) => `- ${c.id}: score ${c.score} — ${c.message}${c.expected !== undefined ? ` (expected ${c.expected}, actual ${c.actual ?? '-'})` : ''}`)
    .join('\n');
}

type Failure = { kind: NonNullable<VerifierOutcome['kind']>; message: string };

/** Try one candidate verifier; undefined when it is sound. */
async function tryVerifier(o: VerifierStageOptions, answer: VerifierAnswer, n: number): Promise<Failure | undefined> {
  try {
    const spec = taskSpecOf(o.meta, o.draft, answer);
    await writeTaskFolder(o.taskDir, spec, o.draft, answer, o.skills);
  } catch (e) {
    return { kind: 'invalid', message: `the task could not be built: ${errorMessage(e)}` };
  }
  const signal = o.ask.signal;
  const nop = await trial(nopAgent, o.taskDir, join(o.trialsDir, `attempt-${n}`, 'nop'), o.sandbox, signal);
  if (nop.line.error_kind === 'harness') throw new HarnessError(`trying the verifier of ${o.meta.id}: ${nop.line.error}`);
  if (nop.line.error) {
    return { kind: 'verifier_crash', message: `On the untouched starting workspace the verifier failed (${nop.line.error_kind}): ${nop.line.error}` };
  }
  if (nop.line.reward > 0) {
    return { kind: 'nop_nonzero', message: `On the untouched starting workspace (an agent that does nothing) the verifier scores ${nop.line.reward.toFixed(4)}; it must score 0. These checks already pass (give them weight 0 or check the real result instead):\n${checkLines(nop.verify, (s) => (s ?? 0) > 0)}` };
  }
  const oracle = await trial(oracleAgent, o.taskDir, join(o.trialsDir, `attempt-${n}`, 'oracle'), o.sandbox, signal);
  if (oracle.line.error_kind === 'harness') throw new HarnessError(`trying the verifier of ${o.meta.id}: ${oracle.line.error}`);
  if (oracle.line.error) return { kind: oracle.line.error_kind === 'verifier' ? 'verifier_crash' : 'oracle_fail', message: `After the reference solution ran, verification failed (${oracle.line.error_kind}): ${oracle.line.error}` };
  if (!oracle.line.passed) {
    return { kind: 'oracle_fail', message: `After the reference solution ran, the verifier scores ${oracle.line.reward.toFixed(4)} instead of 1. Failing checks:\n${checkLines(oracle.verify, (s) => (s ?? 0) < 1)}\nFix the checks, or give a corrected "solution" if the solution is what is wrong.` };
  }
  return undefined;
}

export async function generateVerifier(o: VerifierStageOptions): Promise<VerifierOutcome> {
  const failures: string[] = [];
  let convo: ChatCompletionMessageParam[] = verifierPrompt(o.meta.id, o.draft);
  let solution: string | undefined;
  let last: Failure = { kind: 'invalid', message: 'no attempt made' };
  for (let n = 1; n <= o.attempts; n++) {
    const a = await askJson(o.client, VerifierAnswer, convo, { ...o.ask, temperature: 0.2 });
    convo = a.messages;
    if (!a.ok) {
      last = { kind: 'invalid', message: `the verifier answer was invalid: ${a.error}` };
      failures.push(last.message);
      convo.push({ role: 'user', content: `${last.message}\nAnswer again with the complete JSON object.` });
      continue;
    }
    // A corrected solution stays corrected in later attempts that do not repeat it.
    solution = a.value.solution ?? solution;
    const answer: VerifierAnswer = { ...a.value, ...(solution ? { solution } : {}) };
    const f = await tryVerifier(o, answer, n);
    if (!f) return { ok: true, answer, attempts: n, failures };
    last = f;
    failures.push(`${f.kind}: ${f.message}`);
    convo.push({ role: 'user', content: `The verifier was tried and is not sound yet.\n${f.message}\nAnswer again with the complete corrected JSON object.` });
  }
  return { ok: false, kind: last.kind, reason: last.message, attempts: o.attempts, failures };
}
