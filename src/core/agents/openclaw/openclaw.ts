/**
 * `--agent openclaw`: the real OpenClaw (installed by `clawgym setup openclaw`, install.ts) as a
 * recorded black box, on the command agent's path (command.ts + record.ts): its model calls go
 * through the per-trial recording proxy and become llm/calls.jsonl, trajectory.json and the
 * transcript. In the sandbox it gets a headless config in a throwaway state folder: the default
 * agent's workspace is the task's mount, no bootstrap files, one OpenAI-compatible provider whose
 * base URL is always the proxy and whose key is the proxy's placeholder (the real key stays with the
 * proxy on the host). After the turn its own session is exported into the trial folder.
 *
 * ClawGym's task timeout is in charge: the sandbox kills the whole process tree when it runs out.
 * A config OpenClaw rejects is a usage error; a run that never got a model answer is an error of
 * the model endpoint's kind (LlmError) — never an empty trajectory that looks like a run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LlmError, UsageError } from '../../errors.js';
import { loadConfigFile } from '../../llm/config.js';
import { shellQuote } from '../../shell.js';
import { reachableBy } from '../../sandbox/sandbox.js';
import { chownTree } from '../../workspace/copy.js';
import type { Agent, AgentContext, AgentOutcome } from '../agent.js';
import { commandAgent } from '../command.js';
import type { RecordSettings } from '../record.js';
import { headlessConfig, OPENCLAW_PROVIDER, OPENCLAW_VERSION, requireOpenclaw } from './install.js';

export const OPENCLAW_MODES = ['local', 'exec'] as const;
export type OpenclawMode = (typeof OPENCLAW_MODES)[number];

export interface OpenclawOptions extends RecordSettings {
  mode?: OpenclawMode;
  version?: string;
  /** The model OpenClaw asks for (provider `clawgym`). */
  model?: string;
  /** Merged over the headless config (the provider's base URL and key always stay the proxy's). */
  extraConfig?: Record<string, unknown>;
}

/** Where the session export goes inside the sandbox (a trial scratch folder bound read-write). */
const EXPORT_DEST = '/clawgym-openclaw';
/** Name of the export bundle (OpenClaw writes it under <workspace>/.openclaw/trajectory-exports/). */
const EXPORT_NAME = 'session';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, anything else replaces. */
export function mergeConfig(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = isObject(v) && isObject(out[k]) ? mergeConfig(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** `--openclaw-config`: JSON text or a JSON file, an object. */
export function parseExtraConfig(text: string): Record<string, unknown> {
  const src = existsSync(text) ? readFileSync(text, 'utf8') : text;
  let v: unknown;
  try {
    v = JSON.parse(src);
  } catch (e) {
    throw new UsageError(`--openclaw-config: not JSON, nor a JSON file (${(e as Error).message})`);
  }
  if (!isObject(v)) throw new UsageError('--openclaw-config: must be a JSON object (merged over the headless config)');
  return v;
}

/**
 * The shell line run in the sandbox. The config is written there from the environment the
 * recording gives (OPENAI_BASE_URL = the proxy, OPENAI_API_KEY = its placeholder), so neither the
 * proxy's address nor any key is decided outside the proxy.
 */
function shellLine(o: { mode: OpenclawMode; node: string; entry: string; compileCache: string | null }): string {
  const node = shellQuote(o.node);
  const oc = `${node} ${shellQuote(o.entry)}`;
  const writeConfig =
    'const fs=require("fs");const c=JSON.parse(process.env.CLAWGYM_OPENCLAW_CONFIG);' +
    `const p=c.models.providers[${JSON.stringify(OPENCLAW_PROVIDER)}];p.baseUrl=process.env.OPENAI_BASE_URL;p.apiKey=process.env.OPENAI_API_KEY;` +
    'fs.writeFileSync(process.env.OPENCLAW_CONFIG_PATH,JSON.stringify(c,null,2));';
  const turn =
    o.mode === 'local'
      ? `${oc} agent --local --agent main --message-file "$CLAWGYM_INSTRUCTION_FILE" --json`
      : `${oc} agent exec --message-file "$CLAWGYM_INSTRUCTION_FILE" --cwd "$CLAWGYM_OPENCLAW_WORKSPACE" --config "$OPENCLAW_CONFIG_PATH" --state-dir "$OPENCLAW_STATE_DIR" --json`;
  const exportArgs = `sessions export-trajectory --agent main${o.mode === 'local' ? ' --session-key agent:main:main' : ''} --workspace ${EXPORT_DEST} --output ${EXPORT_NAME} --json`;
  return [
    'S=$(mktemp -d "${TMPDIR:-/tmp}/openclaw-state.XXXXXX") || exit 125',
    "trap 'rm -rf \"$S\"' EXIT",
    `export OPENCLAW_STATE_DIR="$S" OPENCLAW_CONFIG_PATH="$S/openclaw.json" PATH=${shellQuote(dirname(o.node))}:"$PATH" NO_COLOR=1 FORCE_COLOR=0${o.compileCache ? ` NODE_COMPILE_CACHE=${shellQuote(o.compileCache)}` : ''}`,
    `${node} -e ${shellQuote(writeConfig)} || exit 125`,
    turn,
    'rc=$?',
    `${oc} ${exportArgs} > ${EXPORT_DEST}/export.json 2> ${EXPORT_DEST}/export.log`,
    'exit $rc',
  ].join('\n');
}

interface OpenclawJson {
  ok?: boolean;
  error?: { type?: string; message?: string };
  issues?: Array<{ path?: string; message?: string }>;
  payloads?: Array<{ text?: string | null }>;
}

/** The last JSON object OpenClaw printed on stdout (--json), if any. */
function lastJson(stdout: string): OpenclawJson | null {
  const t = stdout.trim();
  for (let i = t.lastIndexOf('\n{'); ; i = t.lastIndexOf('\n{', i - 1)) {
    try {
      return JSON.parse(t.slice(i + 1)) as OpenclawJson;
    } catch {
      if (i <= 0) break;
    }
  }
  try {
    return JSON.parse(t) as OpenclawJson;
  } catch {
    return null;
  }
}

interface CallLine {
  error?: { status?: number | null; message?: string } | null;
}

function readCalls(file: string): CallLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as CallLine];
      } catch {
        return [];
      }
    });
}

export function openclawAgent(o: OpenclawOptions = {}): Agent {
  const version = o.version ?? OPENCLAW_VERSION;
  const install = requireOpenclaw(version);
  const mode = o.mode ?? 'local';
  if (!(OPENCLAW_MODES as readonly string[]).includes(mode)) throw new UsageError(`--openclaw-mode ${mode}: use ${OPENCLAW_MODES.join(' or ')}`);
  const model = o.model ?? loadConfigFile(o.configPath).model;
  if (!model) throw new UsageError('--agent openclaw needs --model <name> (or "model" in the config file): the model OpenClaw asks the recording proxy for');
  const line = shellLine({ mode, node: install.node, entry: install.entry, compileCache: install.compile_cache });
  const exportScratch = (ctx: AgentContext) => `${ctx.files.openclawSession}.tmp`;
  return commandAgent(line, 'file', { baseUrl: o.baseUrl, configPath: o.configPath }, {
    name: 'openclaw',
    async prepare(ctx) {
      if (ctx.sandbox.owner && !reachableBy(ctx.sandbox.owner, install.entry)) {
        throw new UsageError(`the sandbox uid ${ctx.sandbox.owner.uid} cannot reach OpenClaw in ${install.dir}: install it where every uid can traverse (CLAWGYM_CACHE=/var/cache/clawgym clawgym setup openclaw)`);
      }
      const workspace = ctx.sandbox.mode === 'none' ? ctx.workspace : ctx.task.spec.mount;
      // baseUrl and apiKey are placeholders here: the sandbox writes the proxy's in (shellLine).
      const config = mergeConfig(headlessConfig({ baseUrl: 'proxy', apiKey: 'proxy', model, workspace }), o.extraConfig ?? {});
      const provider = (config.models as { providers?: Record<string, Record<string, unknown>> } | undefined)?.providers?.[OPENCLAW_PROVIDER];
      if (!isObject(provider)) throw new UsageError(`--openclaw-config: models.providers.${OPENCLAW_PROVIDER} must stay an object (it is the recording proxy)`);
      const scratch = exportScratch(ctx);
      await rm(scratch, { recursive: true, force: true });
      await mkdir(scratch, { recursive: true });
      if (ctx.owner) await chownTree(scratch, ctx.owner);
      return {
        binds: [
          { host: install.dir, dest: install.dir, readOnly: true },
          { host: scratch, dest: EXPORT_DEST, readOnly: false },
        ],
        env: { CLAWGYM_OPENCLAW_CONFIG: JSON.stringify(config), CLAWGYM_OPENCLAW_WORKSPACE: workspace },
      };
    },
    async finish(ctx, r): Promise<AgentOutcome> {
      await keepSessionExport(ctx, exportScratch(ctx));
      const out = lastJson(r.stdout);
      if (out?.ok === false && /config/i.test(out.error?.message ?? '')) {
        const issues = (out.issues ?? []).map((i) => `${i.path ?? '(root)'}: ${i.message ?? ''}`).join('; ');
        throw new UsageError(`OpenClaw rejected its config${issues ? `: ${issues}` : ''} (${out.error?.message})`);
      }
      const calls = readCalls(ctx.files.calls);
      // Killed at the timeout before its first call: the timeout is the reason (agent_exit says so).
      const killedEarly = r.timedOut && calls.length === 0;
      if (!killedEarly && !calls.some((c) => !c.error)) {
        const failed = calls.filter((c) => c.error);
        const why = failed.length
          ? `${failed.length} model call(s), none answered; last: ${failed.at(-1)!.error!.message ?? 'no message'}`
          : `it made no model call (exit ${r.exitCode ?? r.signal}${r.timedOut ? ', timed out' : ''}): ${r.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 600) || 'no output'}`;
        throw new LlmError(`OpenClaw never reached the model: ${why}`, { status: failed.at(-1)?.error?.status ?? undefined, attempts: failed.length });
      }
      return { exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, ...(r.oomKilled ? { oomKilled: true } : {}), version };
    },
  });
}

/** OpenClaw's own session export, moved into the trial folder (openclaw-session/); the scratch goes. */
async function keepSessionExport(ctx: AgentContext, scratch: string): Promise<void> {
  const bundle = join(scratch, '.openclaw', 'trajectory-exports', EXPORT_NAME);
  const dest = ctx.files.openclawSession;
  if (existsSync(bundle)) {
    await rm(dest, { recursive: true, force: true });
    await rename(bundle, dest);
  } else if (existsSync(join(scratch, 'export.log'))) {
    // No bundle: keep why (the export's own messages) with the agent's logs.
    await mkdir(join(ctx.trialDir, 'logs'), { recursive: true });
    await rename(join(scratch, 'export.log'), join(ctx.trialDir, 'logs', 'openclaw-export.log')).catch(() => {});
  }
  await rm(scratch, { recursive: true, force: true });
}
