/**
 * An agent as asked for — by the CLI's flags, the extension, a bench, a worker — and as run.json
 * keeps it, so a resumed run or a worker on another host rebuilds the same agent. Zod only (run.json
 * readers stay light); never a key: LLM agents read it again from the environment or the config file.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';

export const AGENT_NAMES = ['nop', 'oracle', 'command', 'claw', 'replay'] as const;
export const AgentName = z.enum(AGENT_NAMES);
export type AgentName = z.infer<typeof AgentName>;

export const INSTRUCTION_VIA = ['arg', 'file', 'stdin'] as const;
export const InstructionVia = z.enum(INSTRUCTION_VIA);
export type InstructionVia = z.infer<typeof InstructionVia>;

export const AgentSpec = z.object({
  name: z.string(),
  /** command: the shell command line run in the sandbox. */
  command: z.string().optional(),
  instruction_via: InstructionVia.optional(),
  // LLM agents.
  model: z.string().optional(),
  base_url: z.string().optional(),
  /** Config file path (base URL, key, model, prices). */
  config: z.string().optional(),
  max_steps: z.number().int().positive().optional(),
  max_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  /** replay: the trajectory.json to re-execute. */
  trajectory: z.string().optional(),
  /** command: record its model calls through a per-trial proxy (upstream from base_url / config). */
  record: z.boolean().optional(),
});
export type AgentSpec = z.infer<typeof AgentSpec>;

/** The agents whose model calls a proxy can record: black boxes (claw records its own calls). */
const RECORDABLE: ReadonlySet<string> = new Set(['command']);

/**
 * Check a spec before anything runs: the one place the cross-field rules live (`--record`, what
 * each agent needs). Returns the spec as run.json keeps it: defined fields only.
 */
export function checkAgentSpec(spec: AgentSpec): AgentSpec {
  const parsed = AgentSpec.safeParse(spec);
  if (!parsed.success) throw new UsageError(`agent settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const s = parsed.data;
  if (!(AGENT_NAMES as readonly string[]).includes(s.name)) throw new UsageError(`unknown agent "${s.name}" (known: ${AGENT_NAMES.join(', ')})`);
  if (s.record && !RECORDABLE.has(s.name)) {
    throw new UsageError(`--record needs --agent command (${s.name === 'claw' ? 'claw records its model calls itself' : `${s.name} makes no model calls`})`);
  }
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as AgentSpec;
}

/** Loopback, private networks and single-label or .local names: servers that often take no key (vLLM, Ollama, LM Studio). */
function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  // A single-label name: a container or a host on the LAN.
  if (!h.includes('.') && !h.includes(':')) return true;
  if (h === '::1' || /^f[cd][0-9a-f]{2}:/.test(h) || h.startsWith('fe80:')) return true;
  const v4 = h.match(/^(\d+)\.(\d+)\.\d+\.\d+$/);
  if (!v4) return false;
  const [a, b] = [Number(v4[1]), Number(v4[2])];
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/**
 * `--record` against a hosted upstream with no key on the host would start every agent only for
 * its first model call to fail with a 401: refused before any trial. Local servers (loopback, a
 * private network) are let through, since they usually take no key.
 */
export function checkRecordUpstream(baseUrl: string, hasKey: boolean): void {
  if (hasKey) return;
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    throw new UsageError(`--record: the upstream ${JSON.stringify(baseUrl)} is not a URL (--base-url, OPENAI_BASE_URL or "base_url" in the config file)`);
  }
  if (isLocalHost(host)) return;
  throw new UsageError(
    `--record: the upstream ${baseUrl} needs an API key and none is set on this host: set OPENAI_API_KEY or "api_key" in the config file (--config). The recording proxy keeps it; the agent never sees it.`,
  );
}
