/**
 * Read a Harbor task's Dockerfile only as far as a file task needs: the last WORKDIR (the mount)
 * and the COPY/ADD steps that put build-context files into it. ClawGym does not build images, so
 * every other step that would change the environment becomes a warning, never an error — except
 * steps that only give what the sandbox has anyway (the task environment contract's packages and
 * variables, as a ClawGym export's Dockerfile installs them).
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { TASK_ENVIRONMENT, TASK_TOOLS } from './task-environment.js';

export interface DockerStep {
  /** 1-based line where the instruction starts. */
  line: number;
  op: string;
  /** Arguments after the instruction, continuation lines joined. */
  args: string;
}

/** Split into instructions: comments dropped, `\` line continuations joined. */
export function parseDockerfile(text: string): DockerStep[] {
  const steps: DockerStep[] = [];
  const lines = text.split(/\r?\n/);
  let cur: DockerStep | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    // Comment lines (parser directives too) are dropped, even inside a continued instruction.
    if (/^\s*#/.test(raw) || (!cur && !raw.trim())) continue;
    if (!cur) {
      const m = /^\s*(\S+)\s*(.*)$/.exec(raw)!;
      cur = { line: i + 1, op: m[1]!.toUpperCase(), args: m[2]! };
    } else cur.args += ` ${raw.trim()}`;
    if (/\\\s*$/.test(cur.args)) {
      cur.args = cur.args.replace(/\\\s*$/, '');
      continue;
    }
    // A heredoc (`RUN <<EOF` … `EOF`) belongs to its instruction.
    const here = /<<-?(["']?)([A-Za-z_]\w*)\1/.exec(cur.args);
    if (here) {
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== here[2]) cur.args += `\n${lines[++i]}`;
      i++;
    }
    steps.push({ ...cur, args: cur.args.trim() });
    cur = undefined;
  }
  if (cur) steps.push({ ...cur, args: cur.args.trim() });
  return steps;
}

/** `["a","b"]` (exec form) or shell-like words; flags (`--chown=…`) split off. */
export function splitArgs(args: string): { flags: Record<string, string>; words: string[] } {
  let words: string[];
  const t = args.trim();
  if (t.startsWith('[')) {
    try {
      const arr = JSON.parse(t) as unknown;
      words = Array.isArray(arr) ? arr.map(String) : [];
    } catch {
      words = t.split(/\s+/);
    }
  } else {
    words = (t.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? []).map((w) =>
      w.startsWith('"') ? w.slice(1, -1).replace(/\\(.)/g, '$1') : w.startsWith("'") ? w.slice(1, -1) : w,
    );
  }
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [k, ...v] = words.shift()!.slice(2).split('=');
    flags[k!] = v.join('=');
  }
  return { flags, words };
}

/** Official images that are a plain OS or language base: close enough to the host's tools. */
const PLAIN_BASES = new Set([
  'ubuntu', 'debian', 'alpine', 'busybox', 'python', 'node', 'golang', 'rust', 'ruby', 'perl', 'php',
  'openjdk', 'eclipse-temurin', 'buildpack-deps', 'fedora', 'centos', 'rockylinux', 'almalinux', 'bash', 'scratch',
]);

export function isPlainBase(image: string): boolean {
  const name = image.replace(/^docker\.io\/(library\/)?/, '').split(/[:@]/)[0]!;
  return PLAIN_BASES.has(name);
}

/** A file the Dockerfile puts into the workspace: `path` relative to the mount, `from` in the context. */
export interface ContextCopy {
  path: string;
  /** Path relative to the build context. */
  source: string;
  mode?: number;
}

export interface DockerWorkspace {
  mount: string | undefined;
  copies: ContextCopy[];
  warnings: string[];
}

const short = (s: string, n = 80) => {
  const t = s.replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i;

/**
 * Map a Dockerfile onto the workspace. `contextFiles` lists the build context (relative paths,
 * `/`-separated); `label` names the Dockerfile in warnings.
 */
export function dockerWorkspace(text: string, contextFiles: readonly string[], label: string): DockerWorkspace {
  const steps = parseDockerfile(text);
  const warnings: string[] = [];
  const warn = (s: DockerStep, why: string) => warnings.push(`${label}:${s.line}: ${s.op} ${short(s.args)}: ${why}`);

  // Only the last stage is the task environment; earlier stages only feed `COPY --from`.
  let lastFrom = -1;
  steps.forEach((s, i) => s.op === 'FROM' && (lastFrom = i));
  const stage = lastFrom >= 0 ? steps.slice(lastFrom) : steps;

  // First pass: the working directory at each step, and the final one (the mount).
  let wd = '/';
  let mount: string | undefined;
  const wdAt: string[] = [];
  for (const s of stage) {
    if (s.op === 'WORKDIR') {
      const dir = splitArgs(s.args).words.join(' ');
      if (dir.includes('$')) warn(s, 'variables are not expanded; WORKDIR ignored');
      else {
        wd = posix.resolve(wd, dir);
        mount = wd;
      }
    }
    wdAt.push(wd);
  }
  const inMount = (p: string) => mount !== undefined && (p === mount || p.startsWith(`${mount === '/' ? '' : mount}/`));

  const copies = new Map<string, ContextCopy>();
  stage.forEach((s, i) => {
    switch (s.op) {
      case 'FROM': {
        const image = splitArgs(s.args).words[0] ?? '';
        if (!isPlainBase(image)) warn(s, 'the image is not built or pulled: tasks run with the host sandbox tools');
        break;
      }
      case 'COPY':
      case 'ADD': {
        const { flags, words } = splitArgs(s.args);
        if (flags.from !== undefined) return warn(s, 'copies from another image or stage: not honoured');
        if (words.length < 2) return warn(s, 'needs a source and a destination');
        const destWord = words.at(-1)!;
        const sources = words.slice(0, -1);
        if (destWord.includes('$') || sources.some((w) => w.includes('$'))) return warn(s, 'variables are not expanded: not honoured');
        const dest = posix.resolve(wdAt[i]!, destWord);
        if (!inMount(dest)) return warn(s, `destination ${dest} is outside the workspace ${mount ?? '(no WORKDIR)'}: not honoured`);
        const mode = flags.chmod && /^[0-7]{3,4}$/.test(flags.chmod) ? parseInt(flags.chmod, 8) : undefined;
        const destIsDir = destWord.endsWith('/') || destWord === '.' || sources.length > 1 || dest === mount;
        for (const src of sources) {
          if (s.op === 'ADD' && /^[a-z]+:\/\//i.test(src)) {
            warn(s, `${src} is a URL: not downloaded`);
            continue;
          }
          if (s.op === 'ADD' && ARCHIVE.test(src)) {
            warn(s, `${src} is an archive that ADD would unpack: not honoured`);
            continue;
          }
          const rel = posix.normalize(src).replace(/^(\.\/)+/, '').replace(/\/$/, '');
          if (rel.startsWith('../') || rel === '..' || posix.isAbsolute(rel)) {
            warn(s, `${src} is outside the build context`);
            continue;
          }
          const hits = copiesFor(rel, contextFiles);
          if (!hits.length) warn(s, `${src} matches no file in the build context`);
          for (const h of hits) {
            const target = h.under !== undefined ? posix.join(dest, h.under) : destIsDir ? posix.join(dest, posix.basename(h.file)) : dest;
            const path = mount === '/' ? target.slice(1) : target.slice(mount!.length + 1);
            if (!path) {
              warn(s, `${src} would replace the workspace folder itself`);
              continue;
            }
            copies.set(path, { path, source: h.file, mode });
          }
        }
        break;
      }
      case 'WORKDIR':
      case 'ARG':
      case 'LABEL':
      case 'MAINTAINER':
      case 'EXPOSE':
      case 'CMD':
      case 'ENTRYPOINT':
      case 'HEALTHCHECK':
      case 'STOPSIGNAL':
        break; // no effect on the files a task starts with
      case 'RUN':
        if (!installsOnlySandboxTools(s.args)) warn(s, 'not run: the workspace is built from files only');
        break;
      case 'ENV':
        if (!setsOnlySandboxEnv(s.args, mount)) warn(s, 'not honoured: the environment is not built');
        break;
      default:
        warn(s, 'not honoured: the environment is not built');
    }
  });
  return { mount, copies: [...copies.values()], warnings };
}

/** A RUN that only installs packages of the task environment contract: the sandbox has them already. */
function installsOnlySandboxTools(args: string): boolean {
  const have = new Set(TASK_TOOLS.map((t) => t.debian));
  return args.split('&&').every((step) => {
    const part = step.trim();
    if (/^apt-get update(?: -qq?)?$/.test(part) || part === 'rm -rf /var/lib/apt/lists/*') return true;
    const install = /^(?:DEBIAN_FRONTEND=\S+\s+)?apt-get install\s+(.*)$/.exec(part);
    const pkgs = install?.[1]!.split(/\s+/).filter((w) => w && !w.startsWith('-')) ?? [];
    return pkgs.length > 0 && pkgs.every((p) => have.has(p));
  });
}

/** An ENV that sets only the contract's variables (and WORKSPACE to the mount), as the sandbox does. */
function setsOnlySandboxEnv(args: string, mount: string | undefined): boolean {
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  const pairs = [...args.matchAll(pair)];
  if (!pairs.length || args.replace(pair, '').trim()) return false; // the legacy `ENV KEY value` form, or junk
  const want: Record<string, string | undefined> = { ...TASK_ENVIRONMENT.env, WORKSPACE: mount };
  return pairs.every(([, k, v]) => {
    const value = v!.startsWith('"') ? v!.slice(1, -1).replace(/\\(.)/g, '$1') : v!;
    return want[k!] === value;
  });
}

/**
 * The context files one COPY source names: a file; a folder (its contents, keeping their relative
 * paths in `under`); or a glob (the matching files and folders).
 */
function copiesFor(src: string, files: readonly string[]): Array<{ file: string; under?: string }> {
  const isGlob = /[*?[]/.test(src);
  if (src === '' || src === '.') return files.filter((f) => f !== 'Dockerfile' && f !== '.dockerignore').map((f) => ({ file: f, under: f }));
  if (!isGlob) {
    if (files.includes(src)) return [{ file: src }];
    const prefix = `${src}/`;
    return files.filter((f) => f.startsWith(prefix)).map((f) => ({ file: f, under: f.slice(prefix.length) }));
  }
  const match = picomatch(src, { dot: true });
  const out: Array<{ file: string; under?: string }> = [];
  for (const f of files) {
    if (match(f)) out.push({ file: f });
    else {
      // A glob naming a folder copies the folder's contents, like a plain folder source.
      const parts = f.split('/');
      for (let k = 1; k < parts.length; k++) {
        if (match(parts.slice(0, k).join('/'))) {
          out.push({ file: f, under: parts.slice(k).join('/') });
          break;
        }
      }
    }
  }
  return out;
}
