/** Run a shell command line as the agent, inside the trial's sandbox, logging its output. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bind } from '../sandbox/sandbox.js';
import type { AgentContext, AgentOutcome } from './agent.js';

export async function runAgentProcess(
  ctx: AgentContext,
  shellLine: string,
  opts: { binds?: Bind[]; stdin?: string; env?: Record<string, string> } = {},
): Promise<AgentOutcome & { stdout: string; stderr: string }> {
  const logs = join(ctx.trialDir, 'logs');
  await mkdir(logs, { recursive: true });
  const out = createWriteStream(join(logs, 'agent.stdout'));
  const err = createWriteStream(join(logs, 'agent.stderr'));
  const r = await ctx.sandbox.run({
    argv: ['bash', '-c', shellLine],
    workspace: ctx.workspace,
    mount: ctx.task.spec.mount,
    binds: opts.binds,
    env: opts.env,
    stdin: opts.stdin,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    onOutput: (stream, chunk) => {
      (stream === 'stdout' ? out : err).write(chunk);
      ctx.events.emit({ type: 'agent_output', stream, text: chunk.toString('utf8').slice(0, 4096) });
    },
  });
  await Promise.all([new Promise((r1) => out.end(r1)), new Promise((r2) => err.end(r2))]);
  return { exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, ...(r.oomKilled ? { oomKilled: true } : {}), stdout: r.stdout, stderr: r.stderr };
}
