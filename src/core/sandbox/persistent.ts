/**
 * One bubblewrap sandbox that lives as long as an RL episode or a claw trial, with every command
 * a child process inside it (src/core/sandbox/supervisor.c starts them), instead of a new sandbox
 * per tool call. A call keeps what a sandbox of its own gave it: its own pid namespace (nothing
 * it starts outlives it), its own /proc, rlimits soft = hard, no capabilities, the call's timeout
 * and output cap, the abort signal. Background commands (the `process` tool) are calls that stay
 * open with a stdin pipe.
 *
 * Nothing is left running: close() ends the supervisor, which kills every call; if this process
 * dies, bubblewrap's --die-with-parent kills the sandbox, and the supervisor also exits when its
 * stdin closes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors.js';
import { rlimitsFor, type SandboxCgroup } from './cgroup.js';
import { OutputCollector } from './output.js';
import type { SandboxCall, SandboxLimits, SandboxResult, SandboxSession } from './sandbox.js';

/** Where the supervisor binary appears inside the sandbox. */
export const SUPERVISOR_MOUNT = '/run/clawgym/supervisor';
/** The capabilities the supervisor keeps (in the sandbox's user namespace only) to make each call's namespaces. */
export const SUPERVISOR_CAPS = ['CAP_SYS_ADMIN', 'CAP_SETPCAP'];

const STDIN_FRAME = 1 << 20;
const READY_TIMEOUT_MS = 15_000;
/** After a kill, how long the supervisor has to report the call's end before the sandbox counts as broken. */
const KILL_GRACE_MS = 5_000;

let built: { path: string | null; why: string } | undefined;
let unavailable: string | null = null;

/** The supervisor cannot run on this machine (no compiler, or bubblewrap refuses what it needs). */
export class SupervisorUnavailableError extends HarnessError {}

/** Why sessions get a sandbox per call here, or null when they get a persistent one. */
export function persistentUnavailable(): string | null {
  if (process.env.CLAWGYM_SANDBOX_PER_CALL === '1') return 'CLAWGYM_SANDBOX_PER_CALL=1 asks for a sandbox per call';
  if (unavailable === null && !supervisorBinary().path) unavailable = supervisorBinary().why;
  return unavailable;
}

export function markPersistentUnavailable(why: string): void {
  unavailable ??= why;
}

/**
 * The supervisor binary, compiled once per source version with the system C compiler into a
 * per-user cache folder the sandbox uid can read. null (with the reason) when it cannot be built:
 * callers then fall back to a sandbox per call.
 */
export function supervisorBinary(): { path: string | null; why: string } {
  if (built) return built;
  const source = readFileSync(fileURLToPath(new URL('./supervisor.c', import.meta.url)), 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = join(tmpdir(), `clawgym-${uid}`);
  const bin = join(dir, `supervisor-${hash}`);
  try {
    ensurePrivateDir(dir, uid);
    if (existsSync(bin) && trusted(bin, uid)) return (built = { path: bin, why: '' });
    const cc = process.env.CC || 'cc';
    const src = join(dir, `supervisor-${hash}-${process.pid}.c`);
    const tmp = `${bin}.${process.pid}.tmp`;
    writeFileSync(src, source);
    const r = spawnSync(cc, ['-O2', '-std=gnu11', '-o', tmp, src], { encoding: 'utf8' });
    rmSync(src, { force: true });
    if (r.error || r.status !== 0) {
      rmSync(tmp, { force: true });
      const why = r.error ? `no C compiler (${cc}: ${r.error.message}); install one: apt-get install -y gcc` : `${cc} failed: ${r.stderr.trim().slice(0, 2000)}`;
      return (built = { path: null, why });
    }
    chmodSync(tmp, 0o755);
    renameSync(tmp, bin);
    return (built = { path: bin, why: '' });
  } catch (e) {
    return (built = { path: null, why: `cannot build the sandbox supervisor in ${dir}: ${(e as Error).message}` });
  }
}

/** Ours, and nobody else can write it: the sandbox uid reads and runs what is in it. */
function ensurePrivateDir(dir: string, uid: number): void {
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o755 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid || st.mode & 0o022) throw new Error(`${dir} is not a folder of ours that only we can write`);
  chmodSync(dir, 0o755);
}

function trusted(file: string, uid: number): boolean {
  const st = lstatSync(file);
  return st.isFile() && st.uid === uid && !(st.mode & 0o022);
}

interface Pending {
  out: OutputCollector;
  err: OutputCollector;
  started: number;
  /** The cgroup's OOM kills when the call started (a rise means one of the call's processes). */
  oomBefore: number;
  timedOut: boolean;
  killedAt: number | null;
  onOutput?: SandboxCall['onOutput'];
  resolve: (r: SandboxResult) => void;
  reject: (e: Error) => void;
  cleanup: () => void;
}

export interface PersistentOptions {
  /** The full bwrap command line up to and excluding `--` and the command. */
  bwrapArgs: string[];
  /** Host path of the supervisor binary (supervisorBinary()). */
  supervisor: string;
  /** The environment every call starts from (PATH, HOME, WORKSPACE…). */
  env: Record<string, string>;
  /** Default working directory of a call. */
  cwd: string;
  limits: SandboxLimits;
  /** uid/gid bwrap runs as (we are root and drop to it). */
  user?: { uid: number; gid: number };
  /** The sandbox's cgroup (bwrapArgs join it): removed when the sandbox has ended. */
  cgroup?: SandboxCgroup | null;
}

export class PersistentSandbox implements SandboxSession {
  readonly persistent = true;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buf: Buffer = Buffer.alloc(0);
  private stderr = '';
  private state: 'starting' | 'open' | 'closing' | 'closed' = 'starting';
  private failure: Error | undefined;
  private readonly exited: Promise<void>;
  private readyWait: { resolve: () => void; reject: (e: Error) => void } | undefined;

  private constructor(private readonly o: PersistentOptions) {
    const argv = [...o.bwrapArgs, '--ro-bind', o.supervisor, SUPERVISOR_MOUNT, ...SUPERVISOR_CAPS.flatMap((c) => ['--cap-add', c]), '--', SUPERVISOR_MOUNT];
    this.child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, ...(o.user ? { uid: o.user.uid, gid: o.user.gid } : {}) });
    this.child.stdin!.on('error', () => {}); // the supervisor may be gone; its exit is reported below
    this.child.stdout!.on('data', (c: Buffer) => this.onData(c));
    this.child.stderr!.on('data', (c: Buffer) => {
      if (this.stderr.length < 16_384) this.stderr += c.toString('utf8');
    });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (e) => {
        this.fail(new HarnessError(`cannot start the sandbox: ${e.message}`));
        resolve();
      });
      this.child.once('close', (code, signal) => {
        const was = this.state;
        this.state = 'closed';
        const why = `${signal ?? `exit ${code}`}${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}`;
        // bubblewrap refusing the supervisor's capabilities, or a cache folder mounted noexec: not here, then.
        if (was === 'starting' && /cap|execvp|permission denied/i.test(this.stderr)) this.fail(new SupervisorUnavailableError(`the sandbox supervisor cannot start here (${why})`));
        else if (was === 'starting' || was === 'open') this.fail(new HarnessError(`the sandbox ended unexpectedly (${why})`));
        else this.fail(new HarnessError('the sandbox is closed'));
        resolve();
      });
    });
  }

  /** Start the sandbox and wait until its supervisor is ready. */
  static async start(o: PersistentOptions): Promise<PersistentSandbox> {
    const sb = new PersistentSandbox(o);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new HarnessError(`the sandbox did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      sb.readyWait = {
        resolve: () => (clearTimeout(t), resolve()),
        reject: (e) => (clearTimeout(t), reject(e)),
      };
    }).catch(async (e: Error) => {
      await sb.close();
      throw e;
    });
    return sb;
  }

  /** Host pid of bwrap (its process group holds the whole sandbox). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get open(): boolean {
    return this.state === 'open';
  }

  run(call: SandboxCall): Promise<SandboxResult> {
    if (this.state !== 'open') return Promise.reject(this.failure ?? new HarnessError('the sandbox is closed'));
    const id = this.nextId++;
    const lim = { ...this.o.limits, ...call.limits };
    const mib = 1024 * 1024;
    const rl = rlimitsFor(lim, this.o.cgroup ?? null);
    const entries = [
      ...call.argv.map((a) => `a${a}`),
      ...Object.entries({ ...this.o.env, ...call.env }).map(([k, v]) => `e${k}=${v}`),
      `c${call.cwd ?? this.o.cwd}`,
      `u${rl.nproc}`,
      `d${rl.dataMb === null ? -1 : rl.dataMb * mib}`, // -1: RLIM_INFINITY (the cgroup limits memory)
      `f${rl.fileSizeMb * mib}`,
      ...(call.stdin !== undefined ? ['i'] : []),
    ];
    if (entries.some((e) => e.includes('\0'))) return Promise.reject(new HarnessError('a command line or environment value contains a NUL byte'));
    return new Promise<SandboxResult>((resolve, reject) => {
      const p: Pending = {
        out: new OutputCollector(lim.outputBytes),
        err: new OutputCollector(lim.outputBytes),
        started: performance.now(),
        oomBefore: this.o.cgroup?.oomKills() ?? 0,
        timedOut: false,
        killedAt: null,
        onOutput: call.onOutput,
        resolve,
        reject,
        cleanup: () => {},
      };
      this.pending.set(id, p);
      this.send('S', id, Buffer.from(entries.join('\0') + '\0'));
      const timer = setTimeout(() => {
        p.timedOut = true;
        this.kill(id);
      }, Math.max(1, call.timeoutMs));
      const onAbort = () => this.kill(id);
      call.signal?.addEventListener('abort', onAbort, { once: true });
      if (call.signal?.aborted) onAbort();
      let detachStdin = () => {};
      const input = call.stdin;
      if (input instanceof Readable) {
        const onChunk = (c: Buffer | string) => this.sendStdin(id, typeof c === 'string' ? Buffer.from(c) : c);
        const onEnd = () => this.send('C', id);
        input.on('data', onChunk);
        input.once('end', onEnd);
        detachStdin = () => {
          input.off('data', onChunk);
          input.off('end', onEnd);
        };
      } else if (input !== undefined) {
        this.sendStdin(id, typeof input === 'string' ? Buffer.from(input) : Buffer.from(input));
        this.send('C', id);
      }
      p.cleanup = () => {
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
        detachStdin();
      };
    });
  }

  /**
   * The bench's baseline: the same command fork/exec'd `n` times inside this sandbox with no
   * per-call namespaces, limits or capabilities to drop, its output read and dropped there (not
   * forwarded). Wall times in ms, measured inside.
   */
  baseline(argv: string[], n: number, cwd = this.o.cwd): Promise<number[]> {
    if (this.state !== 'open') return Promise.reject(this.failure ?? new HarnessError('the sandbox is closed'));
    const id = this.nextId++;
    const entries = [...argv.map((a) => `a${a}`), ...Object.entries(this.o.env).map(([k, v]) => `e${k}=${v}`), `c${cwd}`, `n${n}`];
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        out: new OutputCollector(1 << 20),
        err: new OutputCollector(1024),
        started: performance.now(),
        oomBefore: 0,
        timedOut: false,
        killedAt: null,
        resolve: (r) => resolve(r.stdout.trim().split(/\s+/).map((us) => Number(us) / 1000)),
        reject,
        cleanup: () => {},
      });
      this.send('B', id, Buffer.from(entries.join('\0') + '\0'));
    });
  }

  /** End every call and the sandbox; resolves when nothing of it is left running. */
  async close(): Promise<void> {
    if (this.state === 'closed') {
      await this.exited;
      this.killGroup();
      return this.o.cgroup?.remove();
    }
    this.state = 'closing';
    this.child.stdin!.end();
    const timer = setTimeout(() => this.killGroup(), KILL_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    // bwrap is gone; if anything of its process group were left, it goes now.
    this.killGroup();
    await this.o.cgroup?.remove();
  }

  private killGroup(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  private kill(id: number): void {
    const p = this.pending.get(id);
    if (!p || p.killedAt !== null) return;
    p.killedAt = performance.now();
    this.send('K', id);
    // A supervisor that cannot end a call in time is broken: so is the sandbox.
    setTimeout(() => {
      if (this.pending.get(id) === p) {
        this.fail(new HarnessError(`the sandbox did not end a killed command within ${KILL_GRACE_MS / 1000} s`));
        this.killGroup();
      }
    }, KILL_GRACE_MS).unref();
  }

  private sendStdin(id: number, data: Buffer): void {
    for (let i = 0; i < data.length; i += STDIN_FRAME) this.send('I', id, data.subarray(i, i + STDIN_FRAME));
  }

  private send(type: string, id: number, payload: Buffer = Buffer.alloc(0)): void {
    if (this.state === 'closed' || !this.child.stdin!.writable) return;
    const h = Buffer.alloc(9);
    h.write(type, 0, 'latin1');
    h.writeUInt32BE(id, 1);
    h.writeUInt32BE(payload.length, 5);
    this.child.stdin!.write(payload.length ? Buffer.concat([h, payload]) : h);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let off = 0;
    while (this.buf.length - off >= 9) {
      const len = this.buf.readUInt32BE(off + 5);
      if (this.buf.length - off < 9 + len) break;
      const type = String.fromCharCode(this.buf[off]!);
      const id = this.buf.readUInt32BE(off + 1);
      const payload = this.buf.subarray(off + 9, off + 9 + len);
      off += 9 + len;
      this.onFrame(type, id, payload);
    }
    this.buf = off === this.buf.length ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(off));
  }

  private onFrame(type: string, id: number, payload: Buffer): void {
    if (type === 'R') {
      this.state = 'open';
      this.readyWait?.resolve();
      return;
    }
    const p = this.pending.get(id);
    if (!p) return;
    if (type === 'O' || type === 'E') {
      const copy = Buffer.from(payload);
      (type === 'O' ? p.out : p.err).push(copy);
      p.onOutput?.(type === 'O' ? 'stdout' : 'stderr', copy);
    } else if (type === 'b') {
      p.out.push(Buffer.from(payload));
      this.settle(id, p, null, null);
    } else if (type === 'X') {
      const [code, sig] = payload.toString('latin1').split(' ');
      this.settle(id, p, code === '-' ? null : Number(code), sig === '-' ? null : signalName(Number(sig)));
    } else if (type === 'F') {
      this.pending.delete(id);
      p.cleanup();
      p.reject(new HarnessError(`the sandbox could not start the command: ${payload.toString('utf8')}`));
    }
  }

  private settle(id: number, p: Pending, exitCode: number | null, signal: string | null): void {
    this.pending.delete(id);
    p.cleanup();
    p.resolve({
      exitCode,
      signal,
      timedOut: p.timedOut,
      stdout: p.out.text(),
      stderr: p.err.text(),
      stdoutTruncated: p.out.truncated,
      stderrTruncated: p.err.truncated,
      stdoutBytes: p.out.total,
      stderrBytes: p.err.total,
      durationMs: performance.now() - p.started,
      ...(this.o.cgroup && this.o.cgroup.oomKills() > p.oomBefore ? { oomKilled: true } : {}),
    });
  }

  /** Every call still running fails with `e`, and so does every later one. */
  private fail(e: Error): void {
    this.failure ??= e;
    if (this.state !== 'closing' && this.state !== 'closed') this.state = 'closed';
    this.readyWait?.reject(e);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.cleanup();
      p.reject(e);
    }
  }
}

function signalName(n: number): string {
  for (const [name, num] of Object.entries(osConstants.signals)) if (num === n) return name;
  return `SIG${n}`;
}
