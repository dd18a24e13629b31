/**
 * Everything a step leaves behind, fanned out from one place: the ATIF trajectory, the
 * OpenClaw-shaped transcript, live events, and a workspace snapshot when files may have changed.
 */
import type { AgentEndReason, EventLog } from '../../trace/events.js';
import type { AtifStep, AtifToolCall } from '../../trace/atif.js';
import { TrajectoryBuilder, writeTrajectory } from '../../trace/builder.js';
import type { ContentPart, TranscriptWriter } from '../../trace/transcript.js';
import type { WorkspaceSnapshots } from '../../workspace/snapshots.js';
import type { ChatResult } from '../../llm/types.js';
import { redact } from '../../llm/redact.js';

const EVENT_TEXT = 4096;

export interface RecordedCall {
  id: string;
  name: string;
  /** Parsed arguments, or the raw text the model sent when it was not a JSON object. */
  arguments: Record<string, unknown> | string;
}

export class StepRecorder {
  readonly trajectory: TrajectoryBuilder;

  constructor(
    private readonly o: {
      trajectory: TrajectoryBuilder;
      transcript: TranscriptWriter;
      events: EventLog;
      snapshots: WorkspaceSnapshots | null;
      path: string;
      /** Cut out of the trajectory (an error message could echo a key). */
      secrets?: readonly string[];
    },
  ) {
    this.trajectory = o.trajectory;
  }

  system(text: string): void {
    this.trajectory.system(text);
  }

  /** The instruction (the trial has already put it in the transcript). */
  user(text: string): void {
    this.trajectory.user(text);
  }

  stepStart(step: number): void {
    this.o.events.emit({ type: 'step', step, state: 'start' });
  }

  retry(step: number, i: { attempt: number; status: number | null; message: string; delayMs: number }): void {
    this.o.events.emit({ type: 'llm_retry', step, attempt: i.attempt, status: i.status, message: i.message, delay_ms: Math.round(i.delayMs) });
  }

  assistant(step: number, r: ChatResult, calls: RecordedCall[], llmMs: number): AtifStep {
    const { events, transcript } = this.o;
    events.emit({ type: 'llm_call', step, ms: llmMs, attempts: r.attempts, prompt_tokens: r.usage?.prompt_tokens ?? null, completion_tokens: r.usage?.completion_tokens ?? null, cost_usd: r.cost_usd, finish_reason: r.finish_reason });
    const { content, toolCalls } = this.announce(step, r.content, calls);
    transcript.add('assistant', content, { ...(r.usage ? { usage: { input: r.usage.prompt_tokens, output: r.usage.completion_tokens } } : {}), stopReason: r.finish_reason });
    return this.trajectory.agentStep({
      message: r.content ?? '',
      reasoning_content: r.reasoning_content,
      model_name: r.model,
      tool_calls: toolCalls,
      metrics: r.usage
        ? { prompt_tokens: r.usage.prompt_tokens, completion_tokens: r.usage.completion_tokens, ...(r.usage.cached_tokens !== undefined ? { cached_tokens: r.usage.cached_tokens } : {}), ...(r.cost_usd !== null ? { cost_usd: r.cost_usd } : {}) }
        : undefined,
      extra: { finish_reason: r.finish_reason, attempts: r.attempts },
    });
  }

  /** A recorded agent step re-issued without a model (replay): the same events and transcript entry as a live one. */
  replayed(step: number, message: string, calls: RecordedCall[], extra: Record<string, unknown>): AtifStep {
    const { content, toolCalls } = this.announce(step, message || null, calls);
    this.o.transcript.add('assistant', content, { stopReason: calls.length ? 'tool_calls' : 'stop' });
    return this.trajectory.agentStep({ message, tool_calls: toolCalls, extra });
  }

  /** Events for the step's text and calls; its transcript content and ATIF tool calls. */
  private announce(step: number, text: string | null, calls: RecordedCall[]): { content: ContentPart[]; toolCalls: AtifToolCall[] } {
    const { events } = this.o;
    if (text) events.emit({ type: 'assistant_text', step, text: text.slice(0, EVENT_TEXT) });
    const content: ContentPart[] = [];
    if (text) content.push({ type: 'text', text });
    const toolCalls: AtifToolCall[] = [];
    for (const c of calls) {
      events.emit({ type: 'tool_call', step, id: c.id, name: c.name, arguments: c.arguments });
      const args = typeof c.arguments === 'string' ? {} : c.arguments;
      content.push({ type: 'toolCall', id: c.id, name: c.name, arguments: args });
      toolCalls.push({ tool_call_id: c.id, function_name: c.name, arguments: args, ...(typeof c.arguments === 'string' ? { extra: { raw_arguments: c.arguments } } : {}) });
    }
    return { content, toolCalls };
  }

  toolResult(step: number, atif: AtifStep, call: RecordedCall, text: string, isError: boolean, ms: number): void {
    this.o.events.emit({ type: 'tool_result', step, id: call.id, name: call.name, is_error: isError, ms, text: text.slice(0, EVENT_TEXT) });
    this.o.transcript.add('toolResult', [{ type: 'text', text }], { toolCallId: call.id, toolName: call.name, isError });
    this.trajectory.observe(atif, { source_call_id: call.id, content: text, ...(isError ? { extra: { is_error: true } } : {}) });
  }

  /** Snapshot when a tool may have changed files; returns the commit when something did change. */
  async snapshot(step: number): Promise<string | null> {
    if (!this.o.snapshots) return null;
    const s = await this.o.snapshots.take(`step ${step}`);
    if (!s) return null;
    this.o.events.emit({ type: 'snapshot', step, commit: s.commit, changed: s.changed });
    return s.commit;
  }

  stepEnd(step: number, atif: AtifStep | null, timing: { step_ms: number; llm_ms: number; tools_ms: number; snapshot_ms: number }, commit: string | null): void {
    if (atif) atif.extra = { ...atif.extra, timing, ...(commit ? { snapshot: commit } : {}) };
    this.o.events.emit({ type: 'step', step, state: 'end', ms: timing.step_ms });
  }

  finish(reason: AgentEndReason, steps: number, message: string | null, extra: Record<string, unknown> = {}): void {
    this.trajectory.extra = { ...this.trajectory.extra, end_reason: reason, ...(message ? { end_message: message } : {}), ...extra };
    writeTrajectory(this.o.path, redact(this.trajectory.build(), this.o.secrets ?? []));
    this.o.events.emit({ type: 'agent_end', reason, steps, message });
  }
}
