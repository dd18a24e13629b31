/** Runs the task's `solution/solve.sh` (any format) in the workspace: every sound task must score 1. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ClawgymError, HarnessError } from '../errors.js';
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
    // The copy leaves out what the path rules refuse (e.g. a symlink out of the task folder).
    if (!existsSync(join(host, 'solve.sh'))) throw new ClawgymError('task', `${ctx.task.spec.id}: solution/solve.sh is not a regular file inside the task folder (a symlink out of it?)`);
    const r = await runAgentProcess(ctx, 'bash /solution/solve.sh', {
      binds: [{ host, dest: '/solution', readOnly: true }],
    });
    ctx.transcript.add('assistant', [{ type: 'toolCall', name: 'exec', arguments: { command: 'bash /solution/solve.sh' } }]);
    ctx.transcript.add('toolResult', [{ type: 'text', text: (r.stdout + r.stderr).slice(-4000) }], { toolName: 'exec' });
    // bash could not even open the script we placed: our setup failed, not the task (never a score).
    if (r.exitCode === 126 || r.exitCode === 127) {
      const unreadable = /\/solution\/solve\.sh: (Permission denied|No such file or directory)/.exec(r.stderr);
      if (unreadable) throw new HarnessError(`the sandbox cannot read the oracle's /solution/solve.sh (${unreadable[1]})`);
    }
    return r;
  },
};
