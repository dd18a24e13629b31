/** `clawgym serve env`: the tasks of a pool or bench as an RL environment over HTTP. */
import { resolve } from 'node:path';
import { type Command } from 'commander';
import { EnvServer } from '../../core/rl/server.js';
import { filterTasks } from '../../core/runs/run.js';
import { loadTasks } from '../../core/task/load.js';
import { UsageError } from '../../core/errors.js';
import { RubricJudge } from '../../core/verify/judge.js';
import { EXIT, printJson, printLoadErrors } from '../output.js';
import { serveUntilInterrupted } from '../interrupt.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';
import { addJudgeOptions, judgeSpec } from '../judge-options.js';
import { addTaskFilters, addTimeoutMultiplier, port, positiveInt, positiveNumber } from '../options.js';


export function registerServe(program: Command): void {
  const serve = program.command('serve').description('Serve tasks over HTTP.');
  const env = serve
    .command('env')
    .description('Serve tasks as an RL environment: POST /reset {task_id}|{seed}, /step {episode_id, tool_call}, /verify, /close, /rollout {task_id, base_url, model, n}; GET /health, /tasks. One workspace and sandbox per episode.')
    .requiredOption('--tasks <paths...>', 'tasks, or folders of tasks (any format)')
    .option('--port <n>', 'port (0: any free port)', port, 8012)
    .option('--host <addr>', 'address to listen on (the API has no authentication: keep it on a trusted network)', '127.0.0.1')
    .option('--max-episodes <n>', 'open episodes plus running rollout samples at most; beyond it /reset and /rollout answer 429', positiveInt, 32)
    .option('--idle-timeout <s>', 'close an episode after this many seconds without a request', positiveNumber, 300);
  addJudgeOptions(addTaskFilters(addTimeoutMultiplier(env, "scale every task's timeout (it bounds each step)")))
    .option('--config <file>', 'LLM config file for the judge')
    .option('--work-dir <dir>', 'where episode and rollout folders are made (default: a temporary folder)')
    .option('--keep', 'keep episode and rollout folders after they end (workspace, transcript, trajectory)')
    .addOption(sandboxOption('where episodes run'))
    .option('--json', 'print a JSON line when listening')
    .option('--quiet', 'no request log on stderr')
    .action(async (o) => {
      const { tasks: all, errors } = await loadTasks(o.tasks.map((p: string) => resolve(p)));
      printLoadErrors(errors);
      const tasks = filterTasks(all, o.include, o.exclude);
      if (!tasks.length) throw new UsageError('no tasks to serve');
      const spec = judgeSpec(o);
      const judge = spec ? RubricJudge.fromSpec(spec) : undefined;
      const sandbox = await openSandbox(o.sandbox);
      const server = new EnvServer({
        tasks,
        sandbox,
        maxEpisodes: o.maxEpisodes,
        idleTimeoutMs: o.idleTimeout * 1000,
        timeoutMultiplier: o.timeoutMultiplier,
        judge,
        workDir: o.workDir ? resolve(o.workDir) : undefined,
        keep: o.keep === true,
        log: o.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      const url = await server.listen(o.port, o.host);
      if (o.json) printJson({ event: 'listening', url, tasks: tasks.length, max_episodes: o.maxEpisodes, idle_timeout_s: o.idleTimeout });
      else process.stderr.write(`clawgym env server: ${url} — ${tasks.length} task(s), ${o.maxEpisodes} episode slot(s), idle timeout ${o.idleTimeout} s\n`);
      await serveUntilInterrupted(() => server.close(), 'stopping the env server: closing every episode (Ctrl-C again to stop now)');
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });
}
