/**
 * Run a command with a trial's workspace bound at the task's mount path.
 *
 * `bwrap` mode: bubblewrap with every namespace unshared (no network, own pid namespace), the
 * system folders read-only, /root, /home and /tmp empty, the workspace the only writable host
 * folder. Limits are rlimits (soft and hard) set by the sandbox's first shell before it runs the
 * command, so everything inside inherits them and nothing inside can raise them. RLIMIT_NPROC is not enforced for uid 0, so when we run as root the sandbox drops to an
 * unprivileged uid and appears as root only inside its user namespace.
 *
 * `none` mode runs the command on the host in the workspace folder: no isolation at all, only
 * when the user asks for it explicitly.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { HarnessError, SandboxUnavailableError } from '../errors.js';
import { TASK_ENVIRONMENT } from '../task/task-environment.js';
import { OutputCollector } from './output.js';
import { markPersistentUnavailable, PersistentSandbox, persistentUnavailable, SupervisorUnavailableError, supervisorBinary } from './persistent.js';

export type SandboxMode = 'bwrap' | 'none';

export interface SandboxLimits {
  /** RLIMIT_DATA per process (MiB). */
  memoryMb: number;
  /** RLIMIT_NPROC: processes and threads inside the sandbox's user namespace. */
  maxProcesses: number;
  /** RLIMIT_FSIZE: the largest file a process may write (MiB). */
  fileSizeMb: number;
  /** Bytes of stdout and of stderr kept; the rest is counted and dropped. */
  outputBytes: number;
  /** Size of the sandbox's private /tmp (MiB). */
  tmpMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryMb: 4096,
  maxProcesses: 1024,
  fileSizeMb: 1024,
  outputBytes: 1 << 20,
  tmpMb: 1024,
};

export interface Bind {
  host: string;
  dest: string;
  readOnly: boolean;
}

export interface SandboxRequest {
  argv: string[];
  /** Host folder bound read-write at `mount`. */
  workspace: string;
  mount: string;
  binds?: Bind[];
  env?: Record<string, string>;
  /** Working directory inside the sandbox; default `mount`. */
  cwd?: string;
  timeoutMs: number;
  /** A stream stays open for interactive input (the claw agent's background sessions). */
  stdin?: string | Uint8Array | Readable;
  limits?: Partial<SandboxLimits>;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  signal?: AbortSignal;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  stdoutBytes: number;
  stderrBytes: number;
  durationMs: number;
}

/** A command in an open sandbox: a SandboxRequest without what the sandbox fixed when it opened. */
export type SandboxCall = Omit<SandboxRequest, 'workspace' | 'mount' | 'binds'>;

/** What a sandbox is opened with: the folders it shows, its environment and default limits. */
export type SessionOptions = Pick<SandboxRequest, 'workspace' | 'mount' | 'binds' | 'env' | 'limits'>;

/**
 * A sandbox open for many commands (an RL episode, an agent's trial): each call runs as in a
 * sandbox of its own — limits, timeout, output cap, nothing it starts outlives it.
 */
export interface SandboxSession {
  /** One sandbox for all calls (sandbox/persistent.ts), or a new one per call. */
  readonly persistent: boolean;
  run(call: SandboxCall): Promise<SandboxResult>;
  /** Ends whatever still runs; nothing of the session is left afterwards. */
  close(): Promise<void>;
}

export interface Sandbox {
  readonly mode: SandboxMode;
  /** Host uid/gid that must own the workspace files so the sandbox can write them (undefined: ours). */
  readonly owner?: { uid: number; gid: number };
  run(req: SandboxRequest): Promise<SandboxResult>;
  open(o: SessionOptions): Promise<SandboxSession>;
}

/** A session that starts a sandbox per call (no isolation mode, or no supervisor here). */
export class PerCallSession implements SandboxSession {
  readonly persistent = false;
  private closed = false;
  constructor(
    private readonly sandbox: Pick<Sandbox, 'run'>,
    private readonly o: SessionOptions,
  ) {}

  run(call: SandboxCall): Promise<SandboxResult> {
    if (this.closed) return Promise.reject(new HarnessError('the sandbox is closed'));
    const { workspace, mount, binds } = this.o;
    return this.sandbox.run({ ...call, workspace, mount, binds, env: { ...this.o.env, ...call.env }, limits: { ...this.o.limits, ...call.limits } });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** The environment every sandboxed command starts from. */
export function sandboxEnv(mount: string, extra?: Record<string, string>): Record<string, string> {
  return {
    PATH: SANDBOX_PATH,
    HOME: '/root',
    USER: 'root',
    LOGNAME: 'root',
    TERM: 'dumb',
    TMPDIR: '/tmp',
    ...TASK_ENVIRONMENT.env, // locale and Python settings, as a Harbor export's image sets them
    WORKSPACE: mount,
    ...extra,
  };
}

export const SANDBOX_PATH = TASK_ENVIRONMENT.path;

/** System folders shown read-only. Merged-/usr systems have /bin etc. as symlinks: recreate those. */
const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'];

function systemMountArgs(): string[] {
  const args: string[] = [];
  for (const p of SYSTEM_PATHS) {
    if (!existsSync(p)) continue;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else if (st.isDirectory()) args.push('--ro-bind', p, p);
  }
  return args;
}

/**
 * The command behind a shell prologue that sets the rlimits, soft and hard, so nothing inside can
 * raise them. A `bash -c` command gets the prologue in its own script (no extra process); anything
 * else is exec'd by a small bash. Cheaper than exec'ing prlimit before bwrap, and it is the same
 * bash a script check starts anyway.
 */
export function withLimits(argv: string[], lim: SandboxLimits): string[] {
  const kib = 1024;
  const prologue = `ulimit -HS -u ${lim.maxProcesses} -d ${lim.memoryMb * kib} -f ${lim.fileSizeMb * kib} -c 0 || exit 125`;
  if (argv[0] === 'bash' && argv[1] === '-c' && argv[2] !== undefined) return ['bash', '-c', `${prologue}\n${argv[2]}`, ...argv.slice(3)];
  return ['bash', '-c', `${prologue}\nexec "$@"`, 'clawgym-sandbox', ...argv];
}

export interface BwrapOptions {
  /** uid/gid to drop to when running as root (default 65534, "nobody"). */
  dropTo?: { uid: number; gid: number };
}

export class BwrapSandbox implements Sandbox {
  readonly mode = 'bwrap' as const;
  readonly owner?: { uid: number; gid: number };
  private readonly systemArgs = systemMountArgs();

  constructor(opts: BwrapOptions = {}) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot) this.owner = opts.dropTo ?? { uid: 65534, gid: 65534 };
  }

  argv(req: SandboxRequest): string[] {
    return [...this.prefix(req), '--', ...withLimits(req.argv, { ...DEFAULT_LIMITS, ...req.limits })];
  }

  /** bwrap and its options, up to the command: the same sandbox for one command or for a session. */
  prefix(req: Omit<SandboxRequest, 'argv' | 'timeoutMs'>): string[] {
    const lim = { ...DEFAULT_LIMITS, ...req.limits };
    const args = [
      'bwrap',
      '--unshare-all',
      '--die-with-parent',
      '--new-session',
      '--uid',
      '0',
      '--gid',
      '0',
      '--hostname',
      'clawgym',
      ...this.systemArgs,
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--size',
      String(lim.tmpMb * 1024 * 1024),
      '--tmpfs',
      '/tmp',
      '--tmpfs',
      '/root',
      '--tmpfs',
      '/home',
      '--tmpfs',
      '/run',
      '--tmpfs',
      '/var',
      '--bind',
      req.workspace,
      req.mount,
    ];
    for (const b of req.binds ?? []) args.push(b.readOnly ? '--ro-bind' : '--bind', b.host, b.dest);
    args.push('--chdir', req.cwd ?? req.mount, '--clearenv');
    for (const [k, v] of Object.entries(sandboxEnv(req.mount, req.env))) args.push('--setenv', k, v);
    return args;
  }

  async run(req: SandboxRequest): Promise<SandboxResult> {
    const r = await spawnCollected(this.argv(req), { user: this.owner, timeoutMs: req.timeoutMs, stdin: req.stdin, limits: req.limits, onOutput: req.onOutput, signal: req.signal });
    // bwrap's own setup failures are ours (harness), not the command's.
    if (r.exitCode === 1 && /^bwrap: /.test(r.stderr) && !r.stdout) throw new HarnessError(`sandbox setup failed: ${r.stderr.trim()}`);
    return r;
  }

  /**
   * One sandbox for all the session's commands (sandbox/persistent.ts). Where the supervisor
   * cannot be built or started here, a sandbox per call, as before (`persistentUnavailable()`
   * says why; `clawgym doctor` and `serve env` report it).
   */
  async open(o: SessionOptions): Promise<SandboxSession> {
    if (persistentUnavailable()) return new PerCallSession(this, o);
    try {
      return await PersistentSandbox.start({
        bwrapArgs: this.prefix(o),
        supervisor: supervisorBinary().path!,
        env: sandboxEnv(o.mount, o.env),
        cwd: o.mount,
        limits: { ...DEFAULT_LIMITS, ...o.limits },
        user: this.owner,
      });
    } catch (e) {
      if (!(e instanceof SupervisorUnavailableError)) throw e;
      markPersistentUnavailable(e.message);
      return new PerCallSession(this, o);
    }
  }
}

/**
 * Without a mount namespace the sandbox paths do not exist: the mount and each bind's destination
 * are rewritten to their host folders wherever they appear as a path in the command line (longest
 * first, so /clawgym/x is not taken for /clawgym). Paths inside script files stay as written.
 */
export function hostPaths(argv: readonly string[], req: Pick<SandboxRequest, 'mount' | 'workspace' | 'binds'>): string[] {
  const maps = [{ dest: req.mount, host: req.workspace }, ...(req.binds ?? []).map((b) => ({ dest: b.dest, host: b.host }))]
    .filter((m) => m.dest && m.dest !== '/')
    .sort((a, b) => b.dest.length - a.dest.length);
  if (!maps.length) return [...argv];
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![\\w./-])(${maps.map((m) => esc(m.dest.replace(/\/+$/, ''))).join('|')})(?=/|$|[^\\w.-])`, 'g');
  const hostOf = new Map(maps.map((m) => [m.dest.replace(/\/+$/, ''), m.host]));
  return argv.map((a) => a.replace(re, (d) => hostOf.get(d) ?? d));
}

/** The environment's values rewritten as the command line is (CLAWGYM_INSTRUCTION_FILE and the like). */
export function hostEnv(env: Readonly<Record<string, string>>, req: Pick<SandboxRequest, 'mount' | 'workspace' | 'binds'>): Record<string, string> {
  const keys = Object.keys(env);
  const values = hostPaths(keys.map((k) => env[k]!), req);
  return Object.fromEntries(keys.map((k, i) => [k, values[i]!]));
}

/** No isolation: the command runs on the host, in the workspace folder. */
export class HostSandbox implements Sandbox {
  readonly mode = 'none' as const;
  async open(o: SessionOptions): Promise<SandboxSession> {
    return new PerCallSession(this, o);
  }
  run(req: SandboxRequest): Promise<SandboxResult> {
    const env = {
      PATH: process.env.PATH ?? SANDBOX_PATH,
      HOME: process.env.HOME ?? '/tmp',
      LANG: 'C.UTF-8',
      PYTHONDONTWRITEBYTECODE: '1',
      WORKSPACE: req.workspace,
      ...hostEnv(req.env ?? {}, req),
    };
    const cwd = req.cwd && req.cwd !== req.mount ? req.cwd.replace(req.mount, req.workspace) : req.workspace;
    return spawnCollected(hostPaths(req.argv, req), { timeoutMs: req.timeoutMs, stdin: req.stdin, limits: req.limits, cwd, env, onOutput: req.onOutput, signal: req.signal });
  }
}

interface SpawnOptions {
  /** Start the process as this uid/gid with no supplementary groups (we are root). */
  user?: { uid: number; gid: number };
  timeoutMs: number;
  stdin?: SandboxRequest['stdin'];
  limits?: Partial<SandboxLimits>;
  cwd?: string;
  env?: Record<string, string>;
  onOutput?: SandboxRequest['onOutput'];
  signal?: AbortSignal;
}

/**
 * Spawn in a new process group, keep capped output, and on timeout kill the whole group; in bwrap
 * mode the pid namespace dies with it, so nothing the command started survives.
 */
export function spawnCollected(argv: string[], opts: SpawnOptions): Promise<SandboxResult> {
  const cap = opts.limits?.outputBytes ?? DEFAULT_LIMITS.outputBytes;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? { PATH: SANDBOX_PATH },
      detached: true,
      ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = new OutputCollector(cap);
    const err = new OutputCollector(cap);
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, Math.max(1, opts.timeoutMs));
    const onAbort = () => killGroup();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (c: Buffer) => {
      out.push(c);
      opts.onOutput?.('stdout', c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      err.push(c);
      opts.onOutput?.('stderr', c);
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the command may exit without reading stdin
      if (opts.stdin instanceof Readable) {
        const input = opts.stdin;
        input.pipe(child.stdin);
        child.on('close', () => input.unpipe(child.stdin!));
      } else child.stdin.end(opts.stdin);
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e.code === 'ENOENT') {
        reject(new SandboxUnavailableError(`cannot start "${argv[0]}": not installed (${missingToolHint(argv[0]!)})`));
      } else reject(new HarnessError(`cannot start "${argv[0]}": ${e.message}`, { cause: e }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Whatever the command left behind in its group goes too.
      killGroup();
      resolve({
        exitCode: code,
        signal,
        timedOut,
        stdout: out.text(),
        stderr: err.text(),
        stdoutTruncated: out.truncated,
        stderrTruncated: err.truncated,
        stdoutBytes: out.total,
        stderrBytes: err.total,
        durationMs: performance.now() - started,
      });
    });
  });
}

function missingToolHint(tool: string): string {
  if (tool === 'bwrap') return 'install bubblewrap: apt-get install -y bubblewrap, or run with --sandbox none to run without isolation';
  return `install ${tool}`;
}
