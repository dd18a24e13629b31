/** Cost of a call from the config's price table (USD per million tokens); null when unpriced. */
import type { ModelPrice } from './config.js';
import type { TokenUsage } from './types.js';

export function costOf(model: string, usage: TokenUsage | null, prices: Record<string, ModelPrice>): number | null {
  const p = prices[model];
  if (!p || !usage) return null;
  const cached = usage.cached_tokens ?? 0;
  const fresh = Math.max(0, usage.prompt_tokens - cached);
  const cachedRate = p.cached_input_per_mtok ?? p.input_per_mtok;
  return (fresh * p.input_per_mtok + cached * cachedRate + usage.completion_tokens * p.output_per_mtok) / 1e6;
}
