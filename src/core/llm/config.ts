/**
 * Where an LLM endpoint's settings come from, in order: explicit options (CLI flags), the
 * environment (OPENAI_BASE_URL, OPENAI_API_KEY), then the config file (`--config`, else
 * $XDG_CONFIG_HOME/clawgym/config.json or ~/.config/clawgym/config.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';

/** USD per million tokens. */
export const ModelPrice = z.object({
  input_per_mtok: z.number().nonnegative(),
  output_per_mtok: z.number().nonnegative(),
  cached_input_per_mtok: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

export const LlmConfigFile = z
  .object({
    base_url: z.url().optional(),
    api_key: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    /** Requests in flight at once per endpoint (base URL), across all trials of this process. */
    max_concurrency: z.number().int().positive().optional(),
    timeout_ms: z.number().int().positive().optional(),
    max_retries: z.number().int().min(0).optional(),
    prices: z.record(z.string(), ModelPrice).optional(),
  })
  .strict();
export type LlmConfigFile = z.infer<typeof LlmConfigFile>;

export interface LlmSettings {
  baseUrl: string;
  /** Never written anywhere: runs, logs and manifests carry the base URL and model only. */
  apiKey: string | undefined;
  model: string;
  maxConcurrency: number;
  timeoutMs: number;
  maxRetries: number;
  prices: Record<string, ModelPrice>;
}

export interface LlmSettingsInput {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  configPath?: string;
  maxConcurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'clawgym', 'config.json');
}

export function loadConfigFile(path: string | undefined, env: NodeJS.ProcessEnv = process.env): LlmConfigFile {
  const file = path ?? defaultConfigPath(env);
  if (!existsSync(file)) {
    if (path) throw new UsageError(`config file ${path} does not exist`);
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = LlmConfigFile.safeParse(raw);
  // The message names fields, never values: the file may hold a key.
  if (!r.success) throw new UsageError(`${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Everything but the model: for pass-through uses (the proxy), where each client names its own. */
export function resolveEndpoint(o: Omit<LlmSettingsInput, 'model'> = {}): Omit<LlmSettings, 'model'> {
  const env = o.env ?? process.env;
  const file = loadConfigFile(o.configPath, env);
  return {
    baseUrl: (o.baseUrl ?? (env.OPENAI_BASE_URL || undefined) ?? file.base_url ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    apiKey: o.apiKey ?? (env.OPENAI_API_KEY || undefined) ?? file.api_key,
    maxConcurrency: o.maxConcurrency ?? file.max_concurrency ?? 8,
    timeoutMs: o.timeoutMs ?? file.timeout_ms ?? 600_000,
    maxRetries: o.maxRetries ?? file.max_retries ?? 5,
    prices: file.prices ?? {},
  };
}

export function resolveLlmSettings(o: LlmSettingsInput = {}): LlmSettings {
  const model = o.model ?? loadConfigFile(o.configPath, o.env ?? process.env).model;
  if (!model) throw new UsageError('no model: give --model <name> (or "model" in the config file)');
  return { ...resolveEndpoint(o), model };
}
