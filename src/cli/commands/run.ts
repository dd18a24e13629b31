/** `clawgym run`: an agent on tasks, each trial in its own sandbox; resumable; reports at the end. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { OPENCLAW_MODES, parseExtraConfig } from '../../core/agents/openclaw/openclaw.js';
import { AGENT_NAMES, INSTRUCTION_VIA, TOOL_PROFILES, type AgentSpec } from '../../core/agents/spec.js';
import { UsageError, type TaskLoadError } from '../../core/errors.js';
import { runPaths } from '../../core/runs/folder.js';
import { buildReport, formatReportText } from '../../core/runs/report.js';
import { resumeRun, startRun, type RunSummary } from '../../core/runs/run.js';
import type { Task } from '../../core/task/task.js';
import { onInterrupt } from '../interrupt.js';
import { addJudgeOptions, judgeSpec } from '../judge-options.js';
import { addTaskFilters, addTimeoutMultiplier, positiveInt, wholeNumber } from '../options.js';
import { EXIT, printJson, printLoadErrors, useColor } from '../output.js';
import { createProgress } from '../progress.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';
import { writeReports } from './report.js';

function exitCodeFor(s: RunSummary): number {
  if (s.interrupted) return EXIT.interrupted;
  if (s.results.some((r) => r.error_kind === 'harness')) return EXIT.harness;
  if (s.loadErrors.length || s.results.some((r) => r.error_kind === 'task' || r.error_kind === 'verifier' || r.error_kind === 'judge')) return EXIT.taskErrors;
  return EXIT.ok;
}

/** The agent the flags ask for (checked by the agent spec itself when the run starts). */
function agentFromFlags(o: Record<string, unknown>): AgentSpec {
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  return {
    name: String(o.agent),
    command: str('command'),
    instruction_via: str('instructionVia') as AgentSpec['instruction_via'],
    model: str('model'),
    base_url: str('baseUrl'),
    config: str('config') ? resolve(str('config')!) : undefined,
    max_steps: o.maxSteps as number | undefined,
    max_tokens: o.maxTokens as number | undefined,
    stream: o.stream === false ? false : undefined,
    trajectory: str('trajectory') ? resolve(str('trajectory')!) : undefined,
    record: o.record ? true : undefined,
    openclaw_mode: str('openclawMode') as AgentSpec['openclaw_mode'],
    openclaw_version: str('openclawVersion'),
    openclaw_config: str('openclawConfig') ? parseExtraConfig(str('openclawConfig')!) : undefined,
    tools: str('tools') as AgentSpec['tools'],
  };
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('Run an agent on tasks (folders, files, or folders of tasks, any format) and report.')
    .argument('[paths...]', 'tasks or folders of tasks')
    .addOption(new Option('--agent <name>', 'agent to run').choices([...AGENT_NAMES]).default('nop'))
    .option('--command <line>', 'for --agent command: the shell command line (use {instruction} or {instruction_file})')
    .addOption(new Option('--instruction-via <how>', 'for --agent command: how the instruction reaches it').choices([...INSTRUCTION_VIA]))
    .option('--model <name>', 'for --agent claw or openclaw: the model (else "model" in the config file)')
    .option('--base-url <url>', 'for --agent claw or openclaw (its upstream, behind the recording proxy): OpenAI-compatible base URL (else OPENAI_BASE_URL, the config file, or OpenAI); the key comes from OPENAI_API_KEY or the config file, never a flag')
    .option('--config <file>', 'LLM config file (default ~/.config/clawgym/config.json): base_url, api_key, model, max_concurrency, timeout_ms, max_retries, prices')
    .option('--max-steps <n>', 'for --agent claw: model calls at most (default 50)', positiveInt)
    .option('--max-tokens <n>', 'for --agent claw: prompt + completion tokens over a trial at most', positiveInt)
    .option('--no-stream', 'for --agent claw: non-streaming model calls')
    .addOption(new Option('--tools <profile>', "for --agent claw: the tools offered to the model: coding (OpenClaw's coding profile, the default) or openclaw-2026.9.6 (OpenClaw 2026.9.6's: edit with edits[], apply_patch, ls…)").choices([...TOOL_PROFILES]))
    .option('--trajectory <file>', 'for --agent replay: the trajectory.json whose tool calls to re-execute')
    .addOption(new Option('--openclaw-mode <mode>', 'for --agent openclaw: `agent --local` (the personal agent) or `agent exec` (the coding profile)').choices([...OPENCLAW_MODES]))
    .option('--openclaw-version <v>', 'for --agent openclaw: the installed OpenClaw version to run (default: the one `clawgym setup openclaw` pins)')
    .option('--openclaw-config <json|file>', "for --agent openclaw: JSON merged over the headless config (the provider's base URL stays the recording proxy)")
    .option('--memory-mb <n>', "memory of each sandbox in MiB, over the task's limits.memory_mb (default 4096; a cgroup limit, else RLIMIT_DATA at twice this)", positiveInt)
    .option('--max-processes <n>', "processes and threads per sandbox, over the task's limits.max_processes (default 1024)", positiveInt)
    .option('--record', "for --agent command: record the agent's model calls through a per-trial proxy (upstream: --base-url, OPENAI_BASE_URL or the config file) into trajectory.json and llm/calls.jsonl; the agent gets OPENAI_BASE_URL");
  addJudgeOptions(cmd)
    .option('-c, --concurrency <n>', 'trials at once (default: number of cores)', positiveInt)
    .option('-k, --attempts <k>', 'attempts per task (for pass@k)', positiveInt, 1);
  addTaskFilters(addTimeoutMultiplier(cmd))
    .option('-o, --out <dir>', 'run folder (default: runs/<run-id>); its name is the run id')
    .option('--resume <run-dir>', 'continue an interrupted run: finished trials are kept, the rest run')
    .option('--harness-retries <n>', 'retries of a trial after a harness error', wholeNumber(0), 2)
    .option('--queue <redis-url>', 'run the trials on `clawgym worker`s through BullMQ on this Redis (the run folder must be on storage they share); waits and shows progress')
    .addOption(sandboxOption())
    .option('--json', 'JSON lines on stdout: one per trial, then the report')
    .option('--no-progress', 'no progress output')
    .action(async (paths: string[], o) => {
      if (!o.resume && !paths.length) throw new UsageError('give task paths, or --resume <run-dir>');
      const sandbox = await openSandbox(o.sandbox);
      const progress = createProgress(o.json ? 'json' : !o.progress ? 'plain' : process.stderr.isTTY ? 'tty' : 'plain');
      const quiet = !o.progress && !o.json;
      const interrupt = onInterrupt('interrupted: stopping running trials (Ctrl-C again to quit now); resume with --resume');
      const hooks = {
        signal: interrupt.signal,
        onLoaded: (i: { tasks: number; errors: TaskLoadError[]; todo: number; done: number }) => {
          printLoadErrors(i.errors);
          if (!o.json) process.stderr.write(`${i.tasks} task(s); ${i.todo} trial(s) to run${i.done ? `, ${i.done} already done` : ''}\n`);
          if (!quiet) progress.start(i.todo, i.done);
        },
        onTrialStart: (task: Task, attempt: number) => progress.trialStart?.(task.spec.id, attempt),
        onResult: (l: Parameters<typeof progress.result>[0]) => {
          if (!quiet) progress.result(l);
        },
      };
      let summary: RunSummary;
      try {
        summary = o.resume
          ? await resumeRun(o.resume, sandbox, hooks, { concurrency: o.concurrency, queue: o.queue })
          : await startRun(
              {
                paths,
                agent: agentFromFlags(o),
                judge: judgeSpec(o),
                attempts: o.attempts,
                concurrency: o.concurrency ?? availableParallelism(),
                timeoutMultiplier: o.timeoutMultiplier,
                include: o.include,
                exclude: o.exclude,
                sandboxMode: o.sandbox,
                harnessRetries: o.harnessRetries,
                out: o.out,
                queue: o.queue,
                limits: { memory_mb: o.memoryMb, max_processes: o.maxProcesses },
              },
              sandbox,
              hooks,
            );
      } finally {
        progress.stop();
        interrupt.dispose();
      }
      const report = buildReport(summary.manifest, summary.results);
      await writeReports(summary.runDir, report);
      if (o.json) printJson({ event: 'report', run_dir: summary.runDir, ...report });
      else {
        process.stdout.write(`${formatReportText(report, { color: useColor() })}\n`);
        process.stdout.write(`run ${summary.manifest.run_id}\nrun folder: ${summary.runDir}\nreport: ${runPaths(summary.runDir).reportHtml}\n`);
        if (summary.interrupted) process.stderr.write(`interrupted: resume with  clawgym run --resume ${summary.runDir}\n`);
      }
      process.exitCode = exitCodeFor(summary);
    });
}
