/** `clawgym serve env`: the tasks of a pool or bench as an RL environment (OpenEnv's protocol and the native HTTP API). */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { BaseUrlPolicy, resolveAuth } from '../../core/rl/security.js';
import { DEFAULT_MAX_BODY, DEFAULT_MAX_STEPS, EnvServer } from '../../core/rl/server.js';
import { filterTasks } from '../../core/runs/run.js';
import { persistentUnavailable } from '../../core/sandbox/persistent.js';
import { loadTasks } from '../../core/task/load.js';
import { UsageError } from '../../core/errors.js';
import { RubricJudge } from '../../core/verify/judge.js';
import { EXIT, printJson, printLoadErrors, warn } from '../output.js';
import { serveUntilInterrupted } from '../interrupt.js';
import { openSandbox, sandboxOption } from '../sandbox-option.js';
import { addJudgeOptions, judgeSpec } from '../judge-options.js';
import { addTaskFilters, addTimeoutMultiplier, port, positiveInt, positiveNumber } from '../options.js';

export function registerServe(program: Command): void {
  const serve = program.command('serve').description('Serve tasks over HTTP.');
  const env = serve
    .command('env')
    .description(
      "Serve tasks as an RL environment, one sandboxed workspace per episode. OpenEnv's protocol: WebSocket /ws (reset, step with call_tool | list_tools | finish | message, state, close), MCP at /mcp, GET /health, /schema, /metadata, /state, one-shot POST /reset and /step. The native API: POST /reset {task_id}|{seed}, /step {episode_id, tool_call}, /verify, /close, /group {task_id, n}, /rollout {task_id, base_url, model, n}; GET /tasks, /groups/<id>. Every request needs the token (printed at start, or --token).",
    )
    .requiredOption('--tasks <paths...>', 'tasks, or folders of tasks (any format)')
    .option('--port <n>', 'port (0: any free port)', port, 8012)
    .option('--host <addr>', 'address to listen on; another than loopback needs --token (or CLAWGYM_ENV_TOKEN)', '127.0.0.1')
    .option('--token <t>', 'the bearer token clients must send (default: CLAWGYM_ENV_TOKEN, else one generated and printed at start)', token)
    .option('--no-auth', 'no token at all (loopback addresses only)')
    .option('--allow-base-url <url>', 'a policy endpoint /rollout may call, e.g. http://127.0.0.1:8000/v1 (repeatable; none: /rollout is refused)', baseUrl, [])
    .option('--max-episodes <n>', 'slots: open episodes, WebSocket/MCP sessions and running rollout samples at most; beyond it 429 / CAPACITY_REACHED', positiveInt, 32)
    .option('--max-steps <n>', 'tool calls per episode at most; the one that reaches it ends the episode with its reward', positiveInt, DEFAULT_MAX_STEPS)
    .option('--dense-reward', "a reward after every tool call (the change in the code checks' score), not only when the episode ends")
    .option('--max-body-mb <x>', 'request bodies and WebSocket messages at most (MiB)', positiveNumber, DEFAULT_MAX_BODY / (1024 * 1024))
    .option('--idle-timeout <s>', 'close an episode or session after this many seconds without a request', positiveNumber, 300);
  addJudgeOptions(addTaskFilters(addTimeoutMultiplier(env, "scale every task's timeout (it bounds each step)")))
    .option('--config <file>', 'LLM config file for the judge')
    .option('--work-dir <dir>', 'where episode, group and rollout folders are made (default: a temporary folder)')
    .option('--keep', 'keep episode and rollout folders after they end (workspace, transcript, trajectory)')
    .addOption(sandboxOption('where episodes run'))
    .option('--json', 'print a JSON line when listening')
    .option('--quiet', 'no request log on stderr')
    .action(async (o) => {
      // Refused before anything is loaded: a server others can reach needs a token of the operator's.
      const auth = resolveAuth({ host: o.host, token: o.token ?? envToken(), noAuth: o.auth === false });
      const { tasks: all, errors } = await loadTasks(o.tasks.map((p: string) => resolve(p)));
      printLoadErrors(errors);
      const tasks = filterTasks(all, o.include, o.exclude);
      if (!tasks.length) throw new UsageError('no tasks to serve');
      const spec = judgeSpec(o);
      const judge = spec ? RubricJudge.fromSpec(spec) : undefined;
      const sandbox = await openSandbox(o.sandbox);
      if (sandbox.mode === 'bwrap') {
        const why = persistentUnavailable();
        if (why) warn(`a sandbox per tool call (slower): ${why}`);
      }
      const server = new EnvServer({
        tasks,
        sandbox,
        auth,
        allowBaseUrls: o.allowBaseUrl,
        maxEpisodes: o.maxEpisodes,
        maxSteps: o.maxSteps,
        denseReward: o.denseReward === true,
        maxBodyBytes: Math.round(o.maxBodyMb * 1024 * 1024),
        idleTimeoutMs: o.idleTimeout * 1000,
        timeoutMultiplier: o.timeoutMultiplier,
        judge,
        workDir: o.workDir ? resolve(o.workDir) : undefined,
        keep: o.keep === true,
        log: o.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      const url = await server.listen(o.port, o.host);
      // A generated token is shown this once (it is in no log); one the operator gave is not repeated.
      const shown = auth.kind === 'token' && auth.generated ? auth.token : undefined;
      if (o.json) printJson({ event: 'listening', url, tasks: tasks.length, max_episodes: o.maxEpisodes, idle_timeout_s: o.idleTimeout, auth: auth.kind, ...(shown ? { token: shown } : {}) });
      else {
        process.stderr.write(`clawgym env server: ${url} — ${tasks.length} task(s), ${o.maxEpisodes} episode slot(s), idle timeout ${o.idleTimeout} s\n`);
        if (shown) process.stderr.write(`token (shown once; send "Authorization: Bearer <token>", or give OpenEnv clients ${url.replace('://', '://clawgym:<token>@')}): ${shown}\n`);
        else if (auth.kind === 'none') warn('--no-auth: anyone on this machine can use the server');
      }
      await serveUntilInterrupted(() => server.close(), 'stopping the env server: closing every episode (Ctrl-C again to stop now)');
      process.exitCode = errors.length ? EXIT.taskErrors : EXIT.ok;
    });
}

/** --token: long enough to resist guessing. */
function token(v: string): string {
  if (v.length < 16) throw new InvalidArgumentError('must be at least 16 characters (e.g. `openssl rand -base64 32`)');
  return v;
}

function envToken(): string | undefined {
  const t = process.env.CLAWGYM_ENV_TOKEN;
  if (t === undefined || t === '') return undefined;
  if (t.length < 16) throw new UsageError('CLAWGYM_ENV_TOKEN must be at least 16 characters');
  return t;
}

/** --allow-base-url: an http(s) URL without credentials (repeatable). */
function baseUrl(v: string, prev: string[]): string[] {
  try {
    new BaseUrlPolicy([v]);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message.replace(/^--allow-base-url \S+: /, ''));
  }
  return [...prev, v];
}
