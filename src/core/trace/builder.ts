/**
 * Builds an ATIF trajectory step by step and writes it validated. Used by the claw agent, the
 * replay agent, and anything else that turns a conversation into a trajectory (e.g. the proxy).
 */
import { writeFileSync, renameSync } from 'node:fs';
import { HarnessError } from '../errors.js';
import { ATIF_VERSION, AtifTrajectory, type AtifMetrics, type AtifObservationResult, type AtifStep, type AtifToolCall } from './atif.js';

export interface AgentStepInput {
  message: string;
  reasoning_content?: string | null;
  model_name?: string;
  tool_calls?: AtifToolCall[];
  metrics?: AtifMetrics;
  extra?: Record<string, unknown>;
}

export class TrajectoryBuilder {
  readonly steps: AtifStep[] = [];
  private readonly totals = { prompt: 0, completion: 0, cached: 0, cost: 0, priced: false };
  extra: Record<string, unknown> = {};

  constructor(
    readonly sessionId: string,
    readonly agent: { name: string; version: string; model_name?: string },
  ) {}

  private push(s: Omit<AtifStep, 'step_id' | 'timestamp'>): AtifStep {
    const step = { step_id: this.steps.length + 1, timestamp: new Date().toISOString(), ...s } as AtifStep;
    this.steps.push(step);
    return step;
  }

  system(message: string): AtifStep {
    return this.push({ source: 'system', message });
  }

  user(message: string): AtifStep {
    return this.push({ source: 'user', message });
  }

  agentStep(s: AgentStepInput): AtifStep {
    const m = s.metrics;
    if (m) {
      this.totals.prompt += m.prompt_tokens ?? 0;
      this.totals.completion += m.completion_tokens ?? 0;
      this.totals.cached += m.cached_tokens ?? 0;
      if (m.cost_usd !== undefined) {
        this.totals.cost += m.cost_usd;
        this.totals.priced = true;
      }
    }
    return this.push({
      source: 'agent',
      message: s.message,
      ...(s.model_name ? { model_name: s.model_name } : {}),
      ...(s.reasoning_content ? { reasoning_content: s.reasoning_content } : {}),
      ...(s.tool_calls?.length ? { tool_calls: s.tool_calls } : {}),
      ...(m ? { metrics: m } : {}),
      ...(s.extra ? { extra: s.extra } : {}),
    });
  }

  /** Attach a tool result to the step that made the call. */
  observe(step: AtifStep, result: AtifObservationResult): void {
    step.observation ??= { results: [] };
    step.observation.results.push(result);
  }

  build(): AtifTrajectory {
    return {
      schema_version: ATIF_VERSION,
      session_id: this.sessionId,
      agent: this.agent,
      steps: this.steps,
      final_metrics: {
        total_prompt_tokens: this.totals.prompt,
        total_completion_tokens: this.totals.completion,
        total_cached_tokens: this.totals.cached,
        ...(this.totals.priced ? { total_cost_usd: this.totals.cost } : {}),
        total_steps: this.steps.length,
      },
      ...(Object.keys(this.extra).length ? { extra: this.extra } : {}),
    };
  }
}

/** Validate, then write atomically (a reader never sees half a file). */
export function writeTrajectory(path: string, t: AtifTrajectory): void {
  const r = AtifTrajectory.safeParse(t);
  if (!r.success) throw new HarnessError(`trajectory does not match ATIF: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(r.data, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
