/**
 * What a trial's model calls cost, summed from its call logs (llm/calls.jsonl for the agent,
 * llm/judge-calls.jsonl for the rubric judge). Read from the logs rather than counted in the
 * agents, so every agent that records calls (claw, command --record) is covered alike.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';

export const LlmUsageTotals = z.object({
  /** Attempts sent (a retried call counts each attempt). */
  calls: z.number().int().nonnegative(),
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  /** null when no call had a price (no `prices` entry for the model). */
  cost_usd: z.number().nonnegative().nullable(),
});
export type LlmUsageTotals = z.infer<typeof LlmUsageTotals>;

export const EMPTY_USAGE: LlmUsageTotals = { calls: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: null };

export function addUsage(a: LlmUsageTotals, b: LlmUsageTotals): LlmUsageTotals {
  return {
    calls: a.calls + b.calls,
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    cost_usd: a.cost_usd === null && b.cost_usd === null ? null : (a.cost_usd ?? 0) + (b.cost_usd ?? 0),
  };
}

const CallUsage = z.object({
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullable().optional(),
  cost_usd: z.number().nullable().optional(),
});

/** Totals of a call log; null when the file does not exist. A torn or foreign line is skipped. */
export async function sumCallLog(path: string): Promise<LlmUsageTotals | null> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((res) => {
    stream.once('open', () => res(true));
    stream.once('error', () => res(false));
  });
  if (!opened) return null;
  let t = { ...EMPTY_USAGE };
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    let parsed: z.infer<typeof CallUsage>;
    try {
      parsed = CallUsage.parse(JSON.parse(line));
    } catch {
      continue;
    }
    t = addUsage(t, {
      calls: 1,
      prompt_tokens: parsed.usage?.prompt_tokens ?? 0,
      completion_tokens: parsed.usage?.completion_tokens ?? 0,
      cost_usd: parsed.cost_usd ?? null,
    });
  }
  return t;
}
