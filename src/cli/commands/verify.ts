/** `clawgym verify`: verify any folder as a task's final workspace (the folder itself is not modified). */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CallRecorder } from '../../core/llm/recorder.js';
import { loadOneTask } from '../../core/task/load.js';
import { RubricJudge } from '../../core/verify/judge.js';
import { verifyWorkspace } from '../../core/verify/verify.js';
import { chownTree } from '../../core/workspace/copy.js';
import { addJudgeOptions, judgeSpec } from '../judge-options.js';
import { colors, EXIT, printJson } from '../output.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description('Verify any folder as the final workspace of a task (the folder is not modified).')
    .argument('<task>', 'the task (folder or file)')
    .argument('<folder>', 'the workspace folder to verify')
    .option('--transcript <file>', 'an OpenClaw transcript.jsonl for transcript checks and grade()')
    .option('--config <file>', 'LLM config file (default ~/.config/clawgym/config.json)');
  addJudgeOptions(cmd)
    .option('--judge-calls <file>', "append the judge's model calls (redacted) to this JSONL file")
    .addOption(sandboxOption('where the checkers run'))
    .option('--json', 'print verify.json')
    .action(async (taskPath: string, folder: string, o) => {
      const task = await loadOneTask(taskPath);
      const spec = judgeSpec(o);
      const judge = spec ? RubricJudge.fromSpec(spec) : undefined;
      const sandbox = await openSandbox(o.sandbox);
      const tmp = await mkdtemp(join(tmpdir(), 'clawgym-verify-'));
      try {
        const ws = join(tmp, 'workspace');
        await cp(resolve(folder), ws, { recursive: true, verbatimSymlinks: true });
        if (sandbox.owner) await chownTree(tmp, sandbox.owner);
        const result = await verifyWorkspace({
          task,
          workspace: ws,
          sandbox,
          owner: sandbox.owner,
          scratch: join(tmp, 'verifier'),
          transcriptPath: o.transcript ? resolve(o.transcript) : join(tmp, 'none.jsonl'),
          judge,
          judgeCalls: judge && o.judgeCalls ? new CallRecorder(resolve(o.judgeCalls), judge.client.secrets) : undefined,
        });
        if (o.json) printJson(result);
        else {
          for (const c of result.code.checks) {
            const mark = c.error ? colors.red('ERR ') : c.passed ? colors.green('PASS') : colors.yellow('FAIL');
            process.stdout.write(`${mark} ${c.id} (${c.type}, weight ${c.weight}): ${c.message}\n`);
            if (!c.passed && !c.error) process.stdout.write(`      expected: ${c.expected ?? '-'}\n      actual:   ${c.actual ?? '-'}\n`);
          }
          process.stdout.write(`rubric: ${result.rubric.message}\n`);
          for (const j of result.rubric.judgments ?? []) process.stdout.write(`      ${j.rule}: ${j.score} — ${j.reason}\n`);
          process.stdout.write(`reward ${result.reward.toFixed(4)}  ${result.passed ? colors.green('passed') : colors.red('not passed')}${result.error ? `  error: ${result.error}` : ''}\n`);
        }
        process.exitCode = result.error_kind === 'harness' ? EXIT.harness : result.error ? EXIT.taskErrors : EXIT.ok;
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
}
