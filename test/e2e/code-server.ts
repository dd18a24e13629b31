/**
 * The code-server process: install the .vsix into a private extensions dir, start the server on a
 * free port, and stop it with its whole process group (the extension host, terminals and the
 * CLI runs they started are all children of it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

export interface CodeServer {
  readonly url: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Everything code-server printed so far (for failure reports). */
  output(): string;
  stop(): Promise<void>;
}

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // code-server otherwise opens its "Setup VS Code Web" walkthrough in an editor now and then.
  'workbench.startupEditor': 'none',
};

export interface CodeServerOptions {
  /** Scratch folder owned by this run: user data, extensions, config. */
  stateDir: string;
  /** The folder the workbench opens. */
  folder: string;
  vsix: string;
  startTimeoutMs?: number;
}

/** The code-server binary: scripts/e2e-setup.sh installs it when missing and prints its path last. */
export function codeServerBinary(): string {
  if (process.env.CLAWGYM_CODE_SERVER) return process.env.CLAWGYM_CODE_SERVER;
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'e2e-setup.sh')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const last = out.trim().split('\n').pop();
  if (!last) throw new Error('scripts/e2e-setup.sh printed no code-server path');
  return last;
}

/**
 * The environment code-server gets: ours without VSCODE_* variables, since code-server started
 * with VSCODE_IPC_HOOK_CLI set (e.g. from a VS Code terminal) hands its arguments to that
 * instance instead of starting a server.
 */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VSCODE_')) env[k] = v;
  return env;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const bin = codeServerBinary();
  const userDataDir = join(opts.stateDir, 'user-data');
  const extensionsDir = join(opts.stateDir, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // A config file of our own, so that ~/.config/code-server (password, cert) plays no part.
  const config = join(opts.stateDir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  // User settings: nothing that reaches for the network (this machine has none) or pops up.
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const common = ['--config', config, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
  execFileSync(bin, [...common, '--install-extension', opts.vsix, '--force'], { env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });

  const args = [
    ...common,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    opts.folder,
  ];
  // detached: its own process group, which stop() kills as a whole.
  const child = spawn(bin, args, { env: serverEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c) => (log += c));
  child.stderr!.on('data', (c) => (log += c));
  const stop = (): Promise<void> => killGroup(child);
  // A test runner killed mid-run must not leave a server behind.
  const onExit = (): void => killGroupNow(child, 'SIGKILL');
  process.once('exit', onExit);

  try {
    const port = await waitForPort(child, () => log, opts.startTimeoutMs ?? 60_000);
    return {
      url: `http://127.0.0.1:${port}`,
      userDataDir,
      extensionsDir,
      output: () => log,
      stop: async () => {
        process.off('exit', onExit);
        await stop();
      },
    };
  } catch (e) {
    process.off('exit', onExit);
    await stop();
    throw e;
  }
}

function waitForPort(child: ChildProcess, log: () => string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = /HTTP server listening on https?:\/\/[^\s:]+:(\d+)/.exec(log());
      if (m) done(() => resolve(Number(m[1])));
    };
    const onExit = (code: number | null): void =>
      done(() => reject(new Error(`code-server exited (${code}) before listening:\n${log()}`)));
    const timer = setTimeout(
      () => done(() => reject(new Error(`code-server did not print "HTTP server listening on" within ${timeoutMs} ms:\n${log()}`))),
      timeoutMs,
    );
    const done = (f: () => void): void => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', onExit);
      f();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', onExit);
    check();
  });
}

/** Pids of every process below `pid`, from /proc (terminal shells run in sessions of their own). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command name: state, ppid, …
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    for (const c of children.get(todo.pop()!) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

function signal(pids: number[], groupLeader: number | undefined, sig: NodeJS.Signals): void {
  const targets = groupLeader === undefined ? pids : [-groupLeader, ...pids];
  for (const p of targets) {
    try {
      process.kill(p, sig);
    } catch {
      // already gone
    }
  }
}

function killGroupNow(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid !== undefined) signal(descendants(child.pid), child.pid, sig);
}

/**
 * SIGTERM to code-server's process group and every descendant (pty shells and the runs they
 * started are in sessions of their own), SIGKILL to whatever is left after 5 s.
 */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const tree = descendants(child.pid);
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));
  signal(tree, child.pid, 'SIGTERM');
  const timer = setTimeout(() => signal(tree, child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Some children (a shell in a terminal) ignore SIGTERM and outlive the leader.
  signal(tree.filter(alive), child.pid, 'SIGKILL');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
