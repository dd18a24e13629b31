/**
 * Harbor's Agent Trajectory Interchange Format (ATIF v1.x, written as "ATIF-v1.6"): the schema we
 * write and validate `trajectory.json` against, with the RFC's cross-field rules (sequential step
 * ids from 1, agent-only fields, observations answering tool calls of the same step).
 */
import { z } from 'zod';

export const ATIF_VERSION = 'ATIF-v1.6';

const Extra = z.record(z.string(), z.unknown());

export const AtifToolCall = z.object({
  tool_call_id: z.string().min(1),
  function_name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  extra: Extra.optional(),
});
export type AtifToolCall = z.infer<typeof AtifToolCall>;

export const AtifObservationResult = z.object({
  source_call_id: z.string().nullable().optional(),
  content: z.string().optional(),
  extra: Extra.optional(),
});
export type AtifObservationResult = z.infer<typeof AtifObservationResult>;

export const AtifMetrics = z.object({
  prompt_tokens: z.number().int().nonnegative().optional(),
  completion_tokens: z.number().int().nonnegative().optional(),
  cached_tokens: z.number().int().nonnegative().optional(),
  cost_usd: z.number().nonnegative().optional(),
  extra: Extra.optional(),
});
export type AtifMetrics = z.infer<typeof AtifMetrics>;

export const AtifStep = z
  .object({
    step_id: z.number().int().min(1),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    source: z.enum(['system', 'user', 'agent']),
    model_name: z.string().optional(),
    message: z.string(),
    reasoning_content: z.string().optional(),
    tool_calls: z.array(AtifToolCall).optional(),
    observation: z.object({ results: z.array(AtifObservationResult) }).optional(),
    metrics: AtifMetrics.optional(),
    extra: Extra.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.source !== 'agent') {
      for (const k of ['model_name', 'reasoning_content', 'tool_calls', 'metrics'] as const) {
        if (s[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} is only allowed on agent steps` });
      }
    }
    const ids = new Set((s.tool_calls ?? []).map((c) => c.tool_call_id));
    s.observation?.results.forEach((r, i) => {
      if (r.source_call_id && !ids.has(r.source_call_id)) {
        ctx.addIssue({ code: 'custom', path: ['observation', 'results', i, 'source_call_id'], message: `no tool call ${r.source_call_id} in this step` });
      }
    });
  });
export type AtifStep = z.infer<typeof AtifStep>;

export const AtifFinalMetrics = z.object({
  total_prompt_tokens: z.number().int().nonnegative().optional(),
  total_completion_tokens: z.number().int().nonnegative().optional(),
  total_cached_tokens: z.number().int().nonnegative().optional(),
  total_cost_usd: z.number().nonnegative().optional(),
  total_steps: z.number().int().nonnegative().optional(),
  extra: Extra.optional(),
});

export const AtifTrajectory = z
  .object({
    schema_version: z.string().regex(/^ATIF-v1\.\d+$/),
    session_id: z.string().min(1),
    agent: z.object({ name: z.string(), version: z.string(), model_name: z.string().optional(), extra: Extra.optional() }),
    steps: z.array(AtifStep).min(1),
    notes: z.string().optional(),
    final_metrics: AtifFinalMetrics.optional(),
    extra: Extra.optional(),
  })
  .superRefine((t, ctx) => {
    t.steps.forEach((s, i) => {
      if (s.step_id !== i + 1) ctx.addIssue({ code: 'custom', path: ['steps', i, 'step_id'], message: `step_id ${s.step_id} should be ${i + 1} (sequential from 1)` });
    });
  });
export type AtifTrajectory = z.infer<typeof AtifTrajectory>;
