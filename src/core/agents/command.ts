/**
 * Any CLI as a black box inside the sandbox (for example the real OpenClaw). The instruction
 * reaches it as a `{instruction}` placeholder (shell-quoted), a file, or stdin. With `record`, its
 * model calls go through a recording proxy and become the trial's trajectory (see record.ts).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { shellQuote } from '../shell.js';
import { chownTree, makeDirFor } from '../workspace/copy.js';
import type { Agent } from './agent.js';
import type { InstructionVia } from './spec.js';
import { runAgentProcess } from './process.js';
import { recordEndpoint, startTrialRecording, type RecordSettings } from './record.js';

export function commandAgent(command: string, via?: InstructionVia, record?: RecordSettings): Agent {
  if (!command.trim()) throw new UsageError('--agent command needs --command "<shell command line>"');
  const mode: InstructionVia = via ?? (command.includes('{instruction}') ? 'arg' : 'stdin');
  if (mode === 'arg' && !command.includes('{instruction}')) {
    throw new UsageError('--instruction-via arg needs a {instruction} placeholder in --command');
  }
  if (record) recordEndpoint(record);
  return {
    name: 'command',
    async run(ctx) {
      const instruction = ctx.task.spec.instruction;
      const io = ctx.files.input;
      await makeDirFor(io, ctx.owner);
      await writeFile(join(io, 'instruction.md'), instruction);
      if (ctx.owner) await chownTree(io, ctx.owner); // read by the sandbox uid, whatever the umask
      const line = command.replaceAll('{instruction}', shellQuote(instruction)).replaceAll('{instruction_file}', '/clawgym/instruction.md');
      const rec = record ? await startTrialRecording(ctx, record) : null;
      let r;
      let recordedTurns = 0;
      try {
        r = await runAgentProcess(ctx, rec ? rec.wrap(line) : line, {
          binds: [{ host: io, dest: '/clawgym', readOnly: true }, ...(rec?.binds ?? [])],
          env: { CLAWGYM_INSTRUCTION_FILE: '/clawgym/instruction.md', CLAWGYM_TASK_ID: ctx.task.spec.id, ...rec?.env },
          stdin: mode === 'stdin' ? instruction : undefined,
        });
      } finally {
        recordedTurns = (await rec?.finish())?.turns ?? 0;
      }
      // A recorded agent's transcript is its model turns (with every tool call); else its stdout.
      if (!recordedTurns && r.stdout.trim()) ctx.transcript.add('assistant', [{ type: 'text', text: r.stdout.slice(-20_000) }]);
      return r;
    },
  };
}
