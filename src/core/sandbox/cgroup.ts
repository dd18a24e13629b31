/**
 * A cgroup per sandbox: a memory limit that counts memory (not address space) and a process limit
 * of its own. RLIMIT_DATA counts V8's address-space reservations (a Node agent with workers
 * reserves 4.4–4.7 GB for 1.2 GB resident), and RLIMIT_NPROC counts per uid — every sandbox runs as
 * the same uid, so concurrent trials would share one process budget. A memory cgroup
 * (`memory.max` in v2, `memory.limit_in_bytes` in v1) and a pids cgroup (`pids.max`) per sandbox
 * limit each sandbox alone.
 *
 * The host creates the cgroup below its own (one per controller: v2 when the unified hierarchy
 * offers the controller, else v1), the sandbox's first process joins it before bubblewrap starts
 * (sandbox.ts, `cgroupJoinPrefix`), so everything inside is in it from the start, and the host
 * removes it when the sandbox has ended (killing anything left in it first). Where no cgroup is
 * writable, sandboxes fall back to rlimits (`cgroupSupport().why` says why; `clawgym doctor` shows it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../shell.js';
import type { SandboxLimits } from './sandbox.js';

export type CgroupController = 'memory' | 'pids';

interface ControllerBase {
  version: 1 | 2;
  /** The folder new sandbox cgroups are created in (ours; below the cgroup this process is in). */
  dir: string;
}

export interface CgroupSupport {
  memory: ControllerBase | null;
  pids: ControllerBase | null;
  /** What is missing, for doctor ('' when both controllers work). */
  why: string;
}

const PARENT = 'clawgym';
let support: CgroupSupport | undefined;
let counter = 0;

/** Mount points of cgroup hierarchies: v2's one, and v1's per controller. */
function cgroupMounts(): { v2: string | null; v1: Map<string, string> } {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return { v2, v1 };
  }
  for (const line of text.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const mountPoint = pre.split(' ')[4]!;
    const [fstype, , opts = ''] = post.split(' ');
    if (fstype === 'cgroup2') v2 ??= mountPoint;
    else if (fstype === 'cgroup') for (const o of opts.split(',')) if (o === 'memory' || o === 'pids') v1.set(o, mountPoint);
  }
  return { v2, v1 };
}

/** This process's cgroup path per hierarchy: '' for v2's, the controller name for v1's. */
function ownCgroups(): Map<string, string> {
  const m = new Map<string, string>();
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, ctrls, path] = line.match(/^\d+:([^:]*):(.*)$/) ?? [];
      if (path === undefined) continue;
      for (const c of ctrls!.split(',')) m.set(c, path);
    }
  } catch {
    /* no /proc: no cgroups */
  }
  return m;
}

function writable(dir: string, probe: string[]): string | null {
  const test = join(dir, `probe-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(dir, { recursive: true });
    mkdirSync(test);
    for (const f of probe) if (!existsSync(join(test, f))) return `${f} is missing in ${dir}`;
    return null;
  } catch (e) {
    return `cannot create a cgroup in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  } finally {
    try {
      rmdirSync(test);
    } catch {
      /* not made */
    }
  }
}

function findController(c: CgroupController, mounts: ReturnType<typeof cgroupMounts>, own: Map<string, string>): { base: ControllerBase | null; why: string } {
  const why: string[] = [];
  const override = process.env.CLAWGYM_CGROUP_ROOT;
  if (mounts.v2 && own.has('')) {
    const dir = override ?? join(mounts.v2, own.get('')!);
    const controllers = readOr(join(dir, 'cgroup.controllers'));
    if (controllers.split(/\s+/).includes(c)) {
      // Children get the controller only through subtree_control (refused while processes sit in `dir`).
      const sub = join(dir, 'cgroup.subtree_control');
      if (!readOr(sub).split(/\s+/).includes(c)) {
        try {
          writeFileSync(sub, `+${c}`);
        } catch (e) {
          why.push(`cgroup v2: cannot enable ${c} for child cgroups of ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
      }
      if (readOr(sub).split(/\s+/).includes(c)) {
        const parent = join(dir, PARENT);
        const err = writable(parent, [`${c}.max`]);
        if (!err) return { base: { version: 2, dir: parent }, why: '' };
        why.push(`cgroup v2: ${err}`);
      }
    } else why.push(`cgroup v2 has no ${c} controller here`);
  }
  const mount = mounts.v1.get(c);
  if (mount && own.has(c)) {
    const parent = join(override ?? join(mount, own.get(c)!), PARENT);
    const err = writable(parent, [c === 'memory' ? 'memory.limit_in_bytes' : 'pids.max']);
    if (!err) return { base: { version: 1, dir: parent }, why: '' };
    why.push(`cgroup v1: ${err}`);
  } else if (!mount) why.push(`no cgroup v1 ${c} hierarchy`);
  return { base: null, why: why.join('; ') };
}

function readOr(file: string, fallback = ''): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** Which controllers sandboxes get a cgroup of (probed once per process). CLAWGYM_CGROUP=0 turns them off. */
export function cgroupSupport(): CgroupSupport {
  if (support) return support;
  if (process.env.CLAWGYM_CGROUP === '0') return (support = { memory: null, pids: null, why: 'CLAWGYM_CGROUP=0 turns sandbox cgroups off' });
  // As root the sandbox joins its cgroup first, then drops to the sandbox uid with setpriv.
  if (process.getuid?.() === 0 && !['/usr/bin/setpriv', '/bin/setpriv'].some((f) => existsSync(f))) {
    return (support = { memory: null, pids: null, why: 'setpriv is missing (apt-get install -y util-linux)' });
  }
  const mounts = cgroupMounts();
  const own = ownCgroups();
  const mem = findController('memory', mounts, own);
  const pids = findController('pids', mounts, own);
  support = { memory: mem.base, pids: pids.base, why: [mem.why && `memory: ${mem.why}`, pids.why && `pids: ${pids.why}`].filter(Boolean).join('; ') };
  for (const b of [support.memory, support.pids]) if (b) sweepStale(b.dir);
  return support;
}

/** Cgroups left by a ClawGym process that died before removing them (empty ones only). */
function sweepStale(dir: string): void {
  try {
    for (const name of readdirSync(dir)) {
      const pid = Number(name.match(/^sb-(\d+)-/)?.[1]);
      if (!pid || pid === process.pid || existsSync(`/proc/${pid}`)) continue;
      try {
        rmdirSync(join(dir, name));
      } catch {
        /* still in use, or not ours */
      }
    }
  } catch {
    /* nothing to sweep */
  }
}

export interface CgroupLimits {
  memoryMb: number;
  maxProcesses: number;
}

/** One sandbox's cgroup (a folder per controller). */
export class SandboxCgroup {
  private removed = false;
  private constructor(
    private readonly dirs: Array<{ controller: CgroupController; version: 1 | 2; dir: string }>,
  ) {}

  /** A new cgroup with these limits, or null when this machine offers none. */
  static create(lim: CgroupLimits): SandboxCgroup | null {
    const s = cgroupSupport();
    if (!s.memory && !s.pids) return null;
    const name = `sb-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
    const dirs: SandboxCgroup['dirs'] = [];
    const cg = new SandboxCgroup(dirs);
    try {
      if (s.memory) {
        const dir = join(s.memory.dir, name);
        mkdirSync(dir);
        dirs.push({ controller: 'memory', version: s.memory.version, dir });
        const bytes = String(lim.memoryMb * 1024 * 1024);
        if (s.memory.version === 2) {
          writeFileSync(join(dir, 'memory.max'), bytes);
          // Swap would let the sandbox go past its limit (v2: swap counts apart from memory).
          if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
        } else {
          writeFileSync(join(dir, 'memory.limit_in_bytes'), bytes);
          // v1: memory+swap at the same value means no swap beyond the limit (where swap accounting is on).
          if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) {
            try {
              writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), bytes);
            } catch {
              /* swap accounting off */
            }
          }
        }
      }
      if (s.pids) {
        const dir = join(s.pids.dir, name);
        mkdirSync(dir);
        dirs.push({ controller: 'pids', version: s.pids.version, dir });
        writeFileSync(join(dir, 'pids.max'), String(lim.maxProcesses));
      }
    } catch {
      cg.remove();
      return null;
    }
    return cg;
  }

  /** The memory and process limits this cgroup enforces. */
  get limitsMemory(): boolean {
    return this.dirs.some((d) => d.controller === 'memory');
  }

  get limitsProcesses(): boolean {
    return this.dirs.some((d) => d.controller === 'pids');
  }

  /** The cgroup.procs files the sandbox's first process writes itself into. */
  get procsFiles(): string[] {
    return this.dirs.map((d) => join(d.dir, 'cgroup.procs'));
  }

  /** The folders (tests check they are gone). */
  get paths(): string[] {
    return this.dirs.map((d) => d.dir);
  }

  /** How many processes of this sandbox the kernel's OOM killer killed so far. */
  oomKills(): number {
    const m = this.dirs.find((d) => d.controller === 'memory');
    if (!m) return 0;
    const text = readOr(join(m.dir, m.version === 2 ? 'memory.events' : 'memory.oom_control'));
    return Number(text.match(/^oom_kill (\d+)/m)?.[1] ?? 0);
  }

  oomKilled(): boolean {
    return this.oomKills() > 0;
  }

  /** Pids still in the cgroup. */
  pids(): number[] {
    const out = new Set<number>();
    for (const d of this.dirs) for (const l of readOr(join(d.dir, 'cgroup.procs')).split('\n')) if (l.trim()) out.add(Number(l));
    return [...out];
  }

  /**
   * Kill whatever is still in it and remove it. The sandbox's pid namespace normally took
   * everything with it; a straggler (or a zombie not reaped yet) gets a few tries.
   */
  async remove(): Promise<void> {
    if (this.removed) return;
    // Usually gone at once: then no timer (callers resolve in the same turn as the sandbox's end).
    if (!this.tryRemove()) {
      this.removed = true;
      return;
    }
    for (let i = 0; i < 50; i++) {
      const left = this.tryRemove();
      if (!left) break;
      await new Promise((r) => setTimeout(r, i < 10 ? 10 : 50));
    }
    this.removed = true;
  }

  /** One pass: kill what is left, rmdir; true when something is still there. */
  private tryRemove(): boolean {
    let left = false;
    for (const p of this.pids()) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const d of this.dirs) {
      if (!existsSync(d.dir)) continue;
      try {
        rmdirSync(d.dir);
      } catch {
        left = true;
      }
    }
    return left;
  }
}

/**
 * The command line that puts the sandbox's first process into its cgroup and then runs `argv`
 * (bubblewrap). As root it joins first and then drops to the sandbox uid (setpriv), since only
 * root may move itself into a cgroup it does not own.
 */
export function cgroupJoinPrefix(cg: SandboxCgroup, dropTo: { uid: number; gid: number } | undefined, argv: string[]): string[] {
  const join = cg.procsFiles.map((f) => `echo $$ > ${shellQuote(f)}`).join(' && ');
  const exec = dropTo ? `exec setpriv --reuid=${dropTo.uid} --regid=${dropTo.gid} --clear-groups -- "$@"` : 'exec "$@"';
  return ['sh', '-c', `${join} || exit 125\n${exec}`, 'clawgym-cgroup', ...argv];
}

/** RLIMIT_DATA = this × memoryMb when no memory cgroup limits the sandbox. */
export const DATA_RLIMIT_FACTOR = 2;
/**
 * RLIMIT_NPROC when a pids cgroup limits each sandbox: it counts per uid, and every sandbox runs as
 * the same uid, so it is only a shared backstop (at most the hard limit we have).
 */
export const SHARED_NPROC = 32_768;

/** The rlimits a sandbox's processes get: what its cgroup (if any) does not already limit. */
export interface Rlimits {
  nproc: number;
  /** MiB; null = unlimited (a memory cgroup limits memory). */
  dataMb: number | null;
  fileSizeMb: number;
}

export function rlimitsFor(lim: SandboxLimits, cg: Pick<SandboxCgroup, 'limitsMemory' | 'limitsProcesses'> | null): Rlimits {
  return {
    nproc: cg?.limitsProcesses ? Math.max(lim.maxProcesses, Math.min(SHARED_NPROC, hardNprocLimit())) : lim.maxProcesses,
    dataMb: cg?.limitsMemory ? null : lim.memoryMb * DATA_RLIMIT_FACTOR,
    fileSizeMb: lim.fileSizeMb,
  };
}

let hardNproc: number | undefined;
/** Our own hard RLIMIT_NPROC: nothing in the sandbox may go above it. */
function hardNprocLimit(): number {
  if (hardNproc !== undefined) return hardNproc;
  let v = Number.MAX_SAFE_INTEGER;
  try {
    const m = readFileSync('/proc/self/limits', 'utf8').match(/^Max processes\s+\S+\s+(\S+)/m);
    if (m && m[1] !== 'unlimited') v = Number(m[1]);
  } catch {
    /* no /proc */
  }
  return (hardNproc = v);
}

