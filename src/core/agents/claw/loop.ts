/**
 * The tool loop: ask the model, run the tool calls it makes in the sandbox, feed the results back,
 * until it answers without a tool call or a limit ends the run (steps, tokens, wall time).
 * One model call is one step.
 */
import { errorMessage, LlmError } from '../../errors.js';
import type { ChatCompletionMessageParam, LlmClient } from '../../llm/client.js';
import type { CallRecorder } from '../../llm/recorder.js';
import type { AgentEndReason } from '../../trace/events.js';
import type { ClawSession, PolicyCall } from './session.js';

export interface LoopLimits {
  maxSteps: number;
  /** Prompt + completion tokens over the whole run; null: no budget. */
  maxTokens: number | null;
  /** performance.now() at which the run's wall time is up. */
  deadline: number;
}

export interface LoopOptions {
  client: LlmClient;
  /** The trial's tools, sandbox and records. */
  session: ClawSession;
  calls: CallRecorder;
  messages: ChatCompletionMessageParam[];
  limits: LoopLimits;
  stream: boolean;
  signal?: AbortSignal;
}

export interface LoopResult {
  reason: AgentEndReason;
  steps: number;
  message: string | null;
  tokens: number;
}

export async function runToolLoop(o: LoopOptions): Promise<LoopResult> {
  const { client, session, messages, limits } = o;
  const recorder = session.recorder;
  let tokens = 0;
  let step = 0;
  const end = (reason: AgentEndReason, message: string | null = null): LoopResult => ({ reason, steps: step, message, tokens });
  while (true) {
    if (o.signal?.aborted) return end('interrupted');
    if (performance.now() >= limits.deadline) return end('timeout', 'wall time is up');
    if (step >= limits.maxSteps) return end('max_steps', `stopped after ${limits.maxSteps} steps`);
    step++;
    const t0 = performance.now();
    recorder.stepStart(step);
    const wall = AbortSignal.timeout(Math.max(1, Math.ceil(limits.deadline - t0)));
    const signal = o.signal ? AbortSignal.any([o.signal, wall]) : wall;
    let r;
    try {
      r = await client.chat({ messages, tools: session.tools }, {
        stream: o.stream,
        signal,
        recorder: o.calls,
        onRetry: (i) => recorder.retry(step, i),
      });
    } catch (e) {
      recorder.stepEnd(step, null, { step_ms: performance.now() - t0, llm_ms: performance.now() - t0, tools_ms: 0, snapshot_ms: 0 }, null);
      if (o.signal?.aborted) return end('interrupted');
      if (wall.aborted) return end('timeout', 'wall time is up while waiting for the model');
      // A refused request (e.g. the context is too long) ends the agent's run; infrastructure failures propagate.
      if (e instanceof LlmError && e.rejected) return end('error', errorMessage(e));
      throw e;
    }
    const t1 = performance.now();
    tokens += r.usage?.total_tokens ?? 0;
    const calls: PolicyCall[] = r.tool_calls.map((c, i) => {
      let args: Record<string, unknown> | string = c.arguments;
      try {
        const v = JSON.parse(c.arguments || '{}');
        if (v && typeof v === 'object' && !Array.isArray(v)) args = v;
      } catch {
        /* kept raw: the executor reports it to the model */
      }
      return { id: c.id || `call_${step}_${i}`, name: c.name, arguments: args, raw: c.arguments };
    });
    const atif = recorder.assistant(step, r, calls, t1 - t0);
    messages.push({
      role: 'assistant',
      content: r.content,
      ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.raw } })) } : {}),
    });
    let toolsMs = 0;
    let mutated = false;
    for (const c of calls) {
      const res = await session.call(step, atif, c);
      toolsMs += res.ms;
      mutated ||= res.mutated === true;
      messages.push({ role: 'tool', tool_call_id: c.id, content: res.text });
    }
    await session.endStep(step, atif, { started: t0, llmMs: t1 - t0, toolsMs, mutated });
    if (!calls.length) return end('model_stopped', r.finish_reason === 'length' ? 'the model hit its output limit' : null);
    if (limits.maxTokens !== null && tokens >= limits.maxTokens) return end('max_tokens', `used ${tokens} tokens (budget ${limits.maxTokens})`);
  }
}
