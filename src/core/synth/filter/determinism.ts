/**
 * Verifier determinism: the oracle's final workspace is verified twice, each time on a fresh copy;
 * a sound verifier gives the same reward and the same check scores both times.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { Task } from '../../task/task.js';
import { verifyWorkspace } from '../../verify/verify.js';
import type { VerifyResult } from '../../verify/result.js';
import { chownTree } from '../../workspace/copy.js';

/** What must not change between two verifications of the same folder. */
function fingerprint(r: VerifyResult): string {
  return JSON.stringify({ reward: r.reward, error: r.error_kind, checks: r.code.checks.map((c) => [c.id, c.score, c.error_kind ?? null]) });
}

async function verifyCopy(task: Task, workspace: string, transcript: string, sandbox: Sandbox): Promise<VerifyResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'clawgym-det-'));
  try {
    const ws = join(tmp, 'workspace');
    await cp(workspace, ws, { recursive: true, verbatimSymlinks: true });
    if (sandbox.owner) await chownTree(tmp, sandbox.owner);
    return await verifyWorkspace({ task, workspace: ws, sandbox, owner: sandbox.owner, scratch: join(tmp, 'verifier'), transcriptPath: transcript });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Undefined when deterministic; otherwise what differed. */
export async function determinismProblem(task: Task, finalWorkspace: string, transcript: string, sandbox: Sandbox): Promise<string | undefined> {
  const a = await verifyCopy(task, finalWorkspace, transcript, sandbox);
  const b = await verifyCopy(task, finalWorkspace, transcript, sandbox);
  if (a.error_kind === 'harness' || b.error_kind === 'harness') return `harness error while re-verifying: ${a.error ?? b.error}`;
  const fa = fingerprint(a);
  const fb = fingerprint(b);
  if (fa === fb) return undefined;
  const diff = a.code.checks
    .map((c, i) => [c, b.code.checks[i]] as const)
    .filter(([x, y]) => !y || x.score !== y.score)
    .map(([x, y]) => `${x.id}: ${x.score} then ${y?.score}`);
  return `verifying the oracle's workspace twice gave different results (reward ${a.reward} then ${b.reward}${diff.length ? `; ${diff.join(', ')}` : ''})`;
}
