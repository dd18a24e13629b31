/** Runs the task's `solution/solve.sh` (any format) in the workspace: every sound task must score 1. */
import { join } from 'node:path';
import { ClawgymError } from '../errors.js';
import { hasSolution } from '../task/task.js';
import { makeDirFor, materializeFileSet } from '../workspace/copy.js';
import type { Agent } from './agent.js';
import { runAgentProcess } from './process.js';

export const oracleAgent: Agent = {
  name: 'oracle',
  async run(ctx) {
    const sol = ctx.task.solution;
    if (!sol || !hasSolution(ctx.task)) {
      throw new ClawgymError('task', `${ctx.task.spec.id}: no solution/solve.sh to run as the oracle (add one beside the task: ${ctx.task.source})`);
    }
    // Copied, not bound from the task folder: the sandbox uid may not reach it, and the trial stays self-contained.
    const host = join(ctx.trialDir, 'solution');
    // The sandbox uid reads it: owned by that uid, whatever the umask.
    await makeDirFor(host, ctx.owner);
    await materializeFileSet(sol, host, ctx.owner);
    const r = await runAgentProcess(ctx, 'bash /solution/solve.sh', {
      binds: [{ host, dest: '/solution', readOnly: true }],
    });
    ctx.transcript.add('assistant', [{ type: 'toolCall', name: 'exec', arguments: { command: 'bash /solution/solve.sh' } }]);
    ctx.transcript.add('toolResult', [{ type: 'text', text: (r.stdout + r.stderr).slice(-4000) }], { toolName: 'exec' });
    return r;
  },
};
