/** The `clawgym` command. Every command has --help; machine output with --json. */
import { mkdtemp, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { AGENT_NAMES } from '../core/agents/registry.js';
import { ClawgymError, errorMessage, TaskLoadError } from '../core/errors.js';
import { compareRuns, formatComparisonText } from '../core/runs/compare.js';
import { RunManifest } from '../core/runs/records.js';
import { buildReport, formatReportText, type Report } from '../core/runs/report.js';
import { renderReportHtml } from '../core/runs/report-html.js';
import { resumeRun, startRun, type RunSummary } from '../core/runs/run.js';
import { readResults } from '../core/runs/store.js';
import { EXPECTED_TOOLS, getSandbox, NO_SANDBOX_WARNING } from '../core/sandbox/probe.js';
import type { SandboxMode } from '../core/sandbox/sandbox.js';
import { exportHarborTask } from '../core/task/harbor-export.js';
import { loadOneTask, loadTasks } from '../core/task/load.js';
import { saveNativeTask } from '../core/task/save.js';
import type { Task } from '../core/task/task.js';
import { taskJsonSchema } from '../core/task/schema.js';
import { VERSION } from '../core/version.js';
import { RubricJudge } from '../core/verify/judge.js';
import type { JudgeSpec } from '../core/verify/judge-spec.js';
import { verifyWorkspace } from '../core/verify/verify.js';
import { resolveEndpoint } from '../core/llm/config.js';
import { RecordingProxy } from '../core/llm/proxy/proxy.js';
import { chownTree } from '../core/workspace/copy.js';
import { CallRecorder } from '../core/llm/recorder.js';
import { colors, EXIT, fail, printJson, usageExit, useColor, warn } from './output.js';
import { createProgress } from './progress.js';
import { registerFilter } from './commands/filter.js';
import { registerPool } from './commands/pool.js';
import { registerSynth } from './commands/synth.js';
import { registerWorker } from './commands/worker.js';
import { registerServe } from './commands/serve.js';
import { registerBench } from './commands/bench.js';
import { registerExport } from './commands/export.js';
import { collect, positiveInt, positiveNumber } from './options.js';

const sandboxOption = () =>
  new Option('--sandbox <mode>', 'bwrap (isolated) or none (no isolation: only when you mean it)').choices(['bwrap', 'none']).default('bwrap');

async function sandboxFor(mode: SandboxMode) {
  if (mode === 'none') warn(NO_SANDBOX_WARNING);
  return getSandbox(mode);
}

function printLoadErrors(errors: TaskLoadError[]): void {
  for (const e of errors) for (const line of e.message.split('\n')) process.stderr.write(`${colors.red('task error:')} ${line}\n`);
}

async function writeReports(runDir: string, report: Report): Promise<void> {
  await writeFile(join(runDir, 'report.json'), JSON.stringify(report, null, 2));
  await writeFile(join(runDir, 'report.html'), renderReportHtml(report));
}

async function reportFor(runDir: string): Promise<Report> {
  const manifest = RunManifest.parse(JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')));
  return buildReport(manifest, readResults(join(runDir, 'results.jsonl')).results);
}

function exitCodeFor(s: RunSummary): number {
  if (s.interrupted) return EXIT.interrupted;
  if (s.results.some((r) => r.error_kind === 'harness')) return EXIT.harness;
  if (s.loadErrors.length || s.results.some((r) => r.error_kind === 'task' || r.error_kind === 'verifier' || r.error_kind === 'judge')) return EXIT.taskErrors;
  return EXIT.ok;
}

/** The judge flags (run and verify): a spec only when a judge model is given. */
function judgeSpec(o: { judgeModel?: string; judgeBaseUrl?: string; config?: string; judgeTranscript?: boolean }): JudgeSpec | undefined {
  if (!o.judgeModel) {
    if (o.judgeBaseUrl) throw new ClawgymError('usage', '--judge-base-url needs --judge-model <name>');
    return undefined;
  }
  return { model: o.judgeModel, ...(o.judgeBaseUrl ? { base_url: o.judgeBaseUrl } : {}), ...(o.config ? { config: resolve(o.config) } : {}), ...(o.judgeTranscript === false ? { transcript: false } : {}) };
}

export function buildProgram(): Command {
  const program = new Command('clawgym')
    .description('ClawGym: run agents on verifiable tasks in sandboxes, verify, report.')
    .version(VERSION)
    .showHelpAfterError()
    // commander's own parse errors mean bad usage (2), not an internal failure (1); subcommands inherit it.
    .exitOverride(usageExit)
    .configureOutput({ outputError: (s, write) => write(colors.red(s)) });

  program
    .command('run')
    .description('Run an agent on tasks (folders, files, or folders of tasks, any format) and report.')
    .argument('[paths...]', 'tasks or folders of tasks')
    .addOption(new Option('--agent <name>', 'agent to run').choices([...AGENT_NAMES]).default('nop'))
    .option('--command <line>', 'for --agent command: the shell command line (use {instruction} or {instruction_file})')
    .addOption(new Option('--instruction-via <how>', 'for --agent command: how the instruction reaches it').choices(['arg', 'file', 'stdin']))
    .option('--model <name>', 'for --agent claw: the model (else "model" in the config file)')
    .option('--base-url <url>', 'for --agent claw: OpenAI-compatible base URL (else OPENAI_BASE_URL, the config file, or OpenAI); the key comes from OPENAI_API_KEY or the config file, never a flag')
    .option('--config <file>', 'LLM config file (default ~/.config/clawgym/config.json): base_url, api_key, model, max_concurrency, timeout_ms, max_retries, prices')
    .option('--max-steps <n>', 'for --agent claw: model calls at most (default 50)', positiveInt)
    .option('--max-tokens <n>', 'for --agent claw: prompt + completion tokens over a trial at most', positiveInt)
    .option('--no-stream', 'for --agent claw: non-streaming model calls')
    .option('--trajectory <file>', 'for --agent replay: the trajectory.json whose tool calls to re-execute')
    .option('--record', "for --agent command: record the agent's model calls through a per-trial proxy (upstream: --base-url, OPENAI_BASE_URL or the config file) into trajectory.json and llm/calls.jsonl; the agent gets OPENAI_BASE_URL")
    .option('--judge-model <name>', "score task rubrics with this LLM judge (separate from the agent's model); key from CLAWGYM_JUDGE_API_KEY, OPENAI_API_KEY or the config file")
    .option('--judge-base-url <url>', "the judge's OpenAI-compatible base URL (else OPENAI_BASE_URL, the config file, or OpenAI)")
    .option('--no-judge-transcript', 'do not show the judge a transcript summary')
    .option('-c, --concurrency <n>', 'trials at once (default: number of cores)', positiveInt)
    .option('-k, --attempts <k>', 'attempts per task (for pass@k)', positiveInt, 1)
    .option('--timeout-multiplier <x>', "scale every task's timeout", positiveNumber, 1)
    .option('--include <glob>', 'only task ids matching (repeatable)', collect, [])
    .option('--exclude <glob>', 'skip task ids matching (repeatable)', collect, [])
    .option('-o, --out <dir>', 'run folder (default: runs/<run-id>)')
    .option('--resume <run-dir>', 'continue an interrupted run: finished trials are kept, the rest run')
    .option('--harness-retries <n>', 'retries of a trial after a harness error', (v) => Number(v), 2)
    .option('--queue <redis-url>', 'run the trials on `clawgym worker`s through BullMQ on this Redis (the run folder must be on storage they share); waits and shows progress')
    .addOption(sandboxOption())
    .option('--json', 'JSON lines on stdout: one per trial, then the report')
    .option('--no-progress', 'no progress output')
    .action(async (paths: string[], o) => {
      if (!o.resume && !paths.length) throw new ClawgymError('usage', 'give task paths, or --resume <run-dir>');
      if (o.record && o.agent !== 'command') throw new ClawgymError('usage', `--record needs --agent command (${o.agent === 'claw' ? 'claw records its model calls itself' : `${o.agent} makes no model calls`})`);
      const sandbox = await sandboxFor(o.sandbox);
      const progress = createProgress(o.json ? 'json' : !o.progress ? 'plain' : process.stderr.isTTY ? 'tty' : 'plain');
      const quiet = !o.progress && !o.json;
      const ac = new AbortController();
      let sigints = 0;
      const onSigint = () => {
        sigints++;
        if (sigints > 1) process.exit(EXIT.interrupted);
        ac.abort();
        process.stderr.write('\ninterrupted: stopping running trials (Ctrl-C again to quit now); resume with --resume\n');
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const hooks = {
        signal: ac.signal,
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
                agent: {
                  name: o.agent,
                  command: o.command,
                  instruction_via: o.instructionVia,
                  model: o.model,
                  base_url: o.baseUrl,
                  config: o.config ? resolve(o.config) : undefined,
                  max_steps: o.maxSteps,
                  max_tokens: o.maxTokens,
                  stream: o.stream === false ? false : undefined,
                  trajectory: o.trajectory ? resolve(o.trajectory) : undefined,
                  record: o.record ? true : undefined,
                },
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
              },
              sandbox,
              hooks,
            );
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
      }
      const report = buildReport(summary.manifest, summary.results);
      await writeReports(summary.runDir, report);
      if (o.json) printJson({ event: 'report', run_dir: summary.runDir, ...report });
      else {
        process.stdout.write(`${formatReportText(report, { color: useColor() })}\n`);
        process.stdout.write(`run folder: ${summary.runDir}\nreport: ${join(summary.runDir, 'report.html')}\n`);
        if (summary.interrupted) process.stderr.write(`interrupted: resume with  clawgym run --resume ${summary.runDir}\n`);
      }
      process.exitCode = exitCodeFor(summary);
    });

  program
    .command('verify')
    .description("Verify any folder as the final workspace of a task (the folder is not modified).")
    .argument('<task>', 'the task (folder or file)')
    .argument('<folder>', 'the workspace folder to verify')
    .option('--transcript <file>', 'an OpenClaw transcript.jsonl for transcript checks and grade()')
    .option('--judge-model <name>', 'score the rubric with this LLM judge; key from CLAWGYM_JUDGE_API_KEY, OPENAI_API_KEY or the config file')
    .option('--judge-base-url <url>', "the judge's OpenAI-compatible base URL (else OPENAI_BASE_URL, the config file, or OpenAI)")
    .option('--config <file>', 'LLM config file (default ~/.config/clawgym/config.json)')
    .option('--no-judge-transcript', 'do not show the judge a transcript summary')
    .option('--judge-calls <file>', "append the judge's model calls (redacted) to this JSONL file")
    .addOption(sandboxOption())
    .option('--json', 'print verify.json')
    .action(async (taskPath: string, folder: string, o) => {
      const task = await loadOneTask(taskPath);
      const spec = judgeSpec(o);
      const judge = spec ? RubricJudge.fromSpec(spec) : undefined;
      const sandbox = await sandboxFor(o.sandbox);
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

  program
    .command('report')
    .description('Summarise a run (terminal, report.json, report.html).')
    .argument('<run-dir>')
    .option('--json', 'print report.json')
    .action(async (runDir: string, o) => {
      const report = await reportFor(resolve(runDir));
      await writeReports(resolve(runDir), report);
      if (o.json) printJson(report);
      else process.stdout.write(`${formatReportText(report, { color: useColor() })}\nreport: ${join(resolve(runDir), 'report.html')}\n`);
    });

  program
    .command('compare')
    .description('Per-task regressions and gains between two runs.')
    .argument('<run-a>')
    .argument('<run-b>')
    .option('--threshold <x>', 'ignore reward changes up to this', Number, 0)
    .option('--json')
    .action(async (a: string, b: string, o) => {
      const cmp = compareRuns(await reportFor(resolve(a)), await reportFor(resolve(b)), { threshold: o.threshold });
      if (o.json) printJson(cmp);
      else process.stdout.write(`${formatComparisonText(cmp, { color: useColor() })}\n`);
    });

  program
    .command('list')
    .description('List the tasks found under paths, with their format and category.')
    .argument('<paths...>')
    .option('--json')
    .action(async (paths: string[], o) => {
      const { tasks, errors } = await loadTasks(paths);
      if (o.json) printJson({ tasks: tasks.map((t) => ({ id: t.spec.id, title: t.spec.title, format: t.format, category: t.spec.category ?? null, source: t.source, warnings: t.warnings })), errors: errors.flatMap((e) => e.problems) });
      else {
        for (const t of tasks) process.stdout.write(`${t.spec.id}\t${t.format}\t${t.spec.category ?? '-'}\t${t.spec.title}\n`);
        printLoadErrors(errors);
      }
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });

  program
    .command('validate')
    .description('Load and validate tasks; report every problem with file:line:column.')
    .argument('<paths...>')
    .option('--json')
    .action(async (paths: string[], o) => {
      const { tasks, errors } = await loadTasks(paths);
      const warnings = tasks.flatMap((t) => t.warnings.map((w) => `${t.source}: ${w}`));
      if (o.json) printJson({ valid: tasks.length, errors: errors.flatMap((e) => e.problems), warnings });
      else {
        for (const w of warnings) warn(`warning: ${w}`);
        printLoadErrors(errors);
        process.stdout.write(`${tasks.length} valid task(s), ${errors.length} with errors\n`);
      }
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });

  program
    .command('convert')
    .description('Convert tasks of any format to the native or the Harbor format.')
    .argument('<paths...>')
    .addOption(new Option('--to <format>', 'target format').choices(['native', 'harbor']).makeOptionMandatory())
    .requiredOption('-o, --out <dir>', 'output folder (one sub-folder per task)')
    .option('--json')
    .action(async (paths: string[], o) => {
      const { tasks, errors } = await loadTasks(paths);
      printLoadErrors(errors);
      const written: string[] = [];
      for (const t of tasks) {
        const dest = join(resolve(o.out), t.spec.id);
        if (o.to === 'native') await saveNativeTask(t, dest);
        else await exportHarborTask(t, dest);
        written.push(dest);
        for (const w of t.warnings) warn(`warning: ${t.spec.id}: ${w}`);
      }
      if (o.json) printJson({ written, errors: errors.flatMap((e) => e.problems) });
      else process.stdout.write(`${written.length} task(s) written to ${resolve(o.out)}\n`);
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });

  program
    .command('schema')
    .description('Print the JSON Schema of task.yaml (generated from the zod model).')
    .action(() => {
      process.stdout.write(`${JSON.stringify(taskJsonSchema(), null, 2)}\n`);
    });

  program
    .command('proxy')
    .description("A recording OpenAI-compatible proxy: forwards /v1/chat/completions (streaming too) and /v1/models to --upstream, and records each session's conversation as calls.jsonl and, when the session ends, trajectory.json (ATIF).")
    .requiredOption('--upstream <url>', 'the upstream base URL, e.g. https://api.openai.com/v1 or http://localhost:8000/v1')
    .option('--port <n>', 'port to listen on (0: any free port)', (v) => Number(v), 8011)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--out <dir>', 'recordings: <out>/<session>/calls.jsonl and trajectory.json', 'recordings')
    .option('--config <file>', 'LLM config file for the upstream key (when clients send none), max_concurrency and prices')
    .option('--json', 'print a JSON line when listening and one per session written at shutdown')
    .action(async (o) => {
      if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new ClawgymError('usage', '--port must be 0–65535');
      const endpoint = resolveEndpoint({ baseUrl: o.upstream, configPath: o.config ? resolve(o.config) : undefined });
      const out = resolve(o.out);
      const proxy = new RecordingProxy({ upstream: endpoint.baseUrl, apiKey: endpoint.apiKey, out, maxConcurrency: endpoint.maxConcurrency, prices: endpoint.prices });
      const url = await proxy.listen(o.port, o.host);
      if (o.json) printJson({ event: 'listening', url, upstream: endpoint.baseUrl, out });
      else {
        process.stderr.write(`clawgym proxy: ${url} → ${endpoint.baseUrl}\nrecording into ${out}/<session>/ (session: header x-clawgym-session, base URL ${url.replace(/\/v1$/, '')}/s/<session>/v1, or model "<model>@<session>")\n`);
        process.stderr.write(`end a session: curl -X POST ${url.replace(/\/v1$/, '')}/sessions/<session>/end   (Ctrl-C ends them all)\n`);
      }
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void proxy.close().then((ended) => {
            for (const e of ended) {
              if (o.json) printJson({ event: 'session_end', session: e.id, trajectory: e.trajectory });
              else process.stderr.write(`session ${e.id}: ${e.trajectory ?? 'no model calls, no trajectory'}\n`);
            }
            done();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });

  program
    .command('doctor')
    .description('Check this machine: bubblewrap, namespaces, and the tools the sandbox offers tasks.')
    .option('--json')
    .action(async (o) => {
      const checks: Array<{ name: string; ok: boolean; detail: string }> = [];
      let sandbox;
      try {
        sandbox = await getSandbox('bwrap');
        checks.push({ name: 'bubblewrap', ok: true, detail: sandbox.owner ? `works (as root: sandboxes run as uid ${sandbox.owner.uid})` : 'works' });
      } catch (e) {
        checks.push({ name: 'bubblewrap', ok: false, detail: errorMessage(e) });
      }
      if (sandbox) {
        const tmp = await mkdtemp(join(tmpdir(), 'clawgym-doctor-'));
        if (sandbox.owner) await chownTree(tmp, sandbox.owner);
        for (const t of EXPECTED_TOOLS) {
          const r = await sandbox.run({ argv: ['sh', '-c', `command -v ${t.name} && ${t.name} --version 2>&1 | head -1`], workspace: tmp, mount: '/w', timeoutMs: 10_000 });
          const ok = r.exitCode === 0;
          checks.push({ name: t.name, ok, detail: ok ? r.stdout.trim().split('\n').join(' — ') : `missing (${t.why}): apt-get install -y ${t.debian}` });
        }
        await rm(tmp, { recursive: true, force: true });
      }
      if (o.json) printJson({ ok: checks.every((c) => c.ok), checks });
      else for (const c of checks) process.stdout.write(`${c.ok ? colors.green('ok     ') : colors.red('missing')} ${c.name}: ${c.detail}\n`);
      process.exitCode = checks.every((c) => c.ok) ? EXIT.ok : EXIT.harness;
    });

  registerSynth(program);
  registerFilter(program);
  registerPool(program);
  registerWorker(program);
  registerServe(program);
  registerBench(program);
  registerExport(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    fail(errorMessage(e));
    process.exitCode = e instanceof ClawgymError ? (e.kind === 'usage' ? EXIT.usage : e.kind === 'harness' ? EXIT.harness : EXIT.taskErrors) : EXIT.internal;
  }
}
