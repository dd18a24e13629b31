/**
 * The recording proxy's sessions: each one appends its calls to `calls.jsonl` (redacted) and keeps
 * the conversation it will turn into `trajectory.json` when it ends. The conversation is the
 * longest request seen (ties: the latest) plus the response to it, so a short side call (a title,
 * a summary) made at the end does not replace the agent's main thread; every call stays in
 * calls.jsonl either way.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { CallRecorder } from '../recorder.js';
import { redact } from '../redact.js';
import type { LlmCallRecord } from '../types.js';
import type { AtifMetrics, AtifTrajectory } from '../../trace/atif.js';
import { writeTrajectory } from '../../trace/builder.js';
import { chatToAtif, splitRequestContext, type AssistantTurnInfo, type ChatMessage } from '../../trace/chat.js';
import { VERSION } from '../../version.js';

/** Session ids become folder names: no separators, no dots first. */

/** A standalone proxy's recording folder: `<out>/<session>/` with these files (the export reads them). */
export const RECORDING_FILES = {
  calls: 'calls.jsonl',
  /** The first trajectory of the session; a session id used again adds `trajectory-<ms>.json`. */
  trajectory: 'trajectory.json',
} as const;

export const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkSessionId(id: string): string {
  if (!SESSION_ID.test(id)) throw new UsageError(`bad session id ${JSON.stringify(id.slice(0, 80))}: use letters, digits, ".", "_" or "-" (at most 128)`);
  return id;
}

export interface SessionPaths {
  calls: string;
  trajectory: string;
}

export interface ObservedCall {
  record: LlmCallRecord;
  /** Secrets of this request (the client's token): cut out of everything written. */
  secrets: readonly string[];
  messages: ChatMessage[];
  /** The assistant message the upstream answered with; null when the call failed. */
  response: ChatMessage | null;
  metrics?: AtifMetrics;
  model?: string;
}

/** Rolling hashes of a message list's prefixes: call k belongs to the final thread when its hash matches. */
function prefixHash(messages: readonly ChatMessage[]): string[] {
  const out: string[] = [];
  let h = '';
  for (const m of messages) {
    h = createHash('sha256').update(h).update(JSON.stringify(m)).digest('hex');
    out.push(h);
  }
  return out;
}

export class ProxySession {
  private readonly recorder: CallRecorder;
  private readonly secrets = new Set<string>();
  private thread: { messages: ChatMessage[]; response: ChatMessage | null; context: string | null } | null = null;
  /** Per call: the length and hash of its messages, and what is known of the turn it produced. */
  private readonly turns: Array<{ length: number; hash: string; info: AssistantTurnInfo }> = [];
  calls = 0;
  ended = false;
  /** The trajectory end() wrote (redacted), for whatever else a trial builds from it. */
  trajectory: AtifTrajectory | null = null;

  constructor(
    readonly id: string,
    readonly paths: SessionPaths,
    private readonly agent: { name: string; version: string },
    private readonly extra: Record<string, unknown>,
    baseSecrets: readonly string[],
  ) {
    for (const s of baseSecrets) this.secrets.add(s);
    this.recorder = new CallRecorder(paths.calls, baseSecrets);
  }

  observe(c: ObservedCall): void {
    for (const s of c.secrets) this.secrets.add(s);
    this.recorder.record(redact(c.record, [...this.secrets]));
    this.calls++;
    // Request-scoped context (OpenClaw's runtime-context carrier) is no turn: without it, each
    // call's messages are a prefix of the final thread again (calls.jsonl keeps it as sent).
    const { messages, context } = splitRequestContext(c.messages);
    const hashes = prefixHash(messages);
    if (c.response) this.turns.push({ length: messages.length, hash: hashes.at(-1) ?? '', info: { ...(c.metrics ? { metrics: c.metrics } : {}), ...(c.model ? { model_name: c.model } : {}), extra: { call_id: c.record.call_id } } });
    if (!this.thread || messages.length >= this.thread.messages.length) this.thread = { messages, response: c.response, context: context.at(-1) ?? null };
  }

  /** Writes trajectory.json; returns its path, or null when no call was made. */
  end(): string | null {
    if (this.ended) return null;
    this.ended = true;
    if (!this.thread) return null;
    const messages = this.thread.response ? [...this.thread.messages, this.thread.response] : this.thread.messages;
    // The turn after a call's messages is that call's answer, if the call belongs to this thread.
    const hashes = prefixHash(messages);
    const turns = new Map<number, AssistantTurnInfo>();
    for (const t of this.turns) {
      if (t.length < messages.length && (t.length === 0 || hashes[t.length - 1] === t.hash) && messages[t.length]?.role === 'assistant') turns.set(t.length, t.info);
    }
    const model = [...turns.values()].at(-1)?.model_name;
    const t = chatToAtif({
      sessionId: this.id,
      agent: { ...this.agent, ...(model ? { model_name: model } : {}) },
      messages,
      turns,
      extra: { ...this.extra, calls: this.calls, recorded_turns: turns.size, ...(this.thread.context !== null ? { request_context: this.thread.context } : {}) },
    });
    if (!t.steps.length) return null;
    mkdirSync(join(this.paths.trajectory, '..'), { recursive: true });
    this.trajectory = redact(t, [...this.secrets]);
    writeTrajectory(this.paths.trajectory, this.trajectory);
    return this.paths.trajectory;
  }
}

export interface SessionStoreOptions {
  /** Sessions not opened beforehand are recorded under <out>/<session>/; null: they are refused. */
  out: string | null;
  secrets: readonly string[];
  extra?: Record<string, unknown>;
}

export class SessionStore {
  private readonly sessions = new Map<string, ProxySession>();
  constructor(private readonly o: SessionStoreOptions) {}

  /** Register a session with its own file paths (a trial's llm/ folder and trajectory.json). */
  open(id: string, paths: SessionPaths): ProxySession {
    checkSessionId(id);
    const s = new ProxySession(id, paths, { name: 'clawgym-proxy', version: VERSION }, this.o.extra ?? {}, this.o.secrets);
    this.sessions.set(id, s);
    return s;
  }

  /** The live session of this id, made under `out` on first use; null when it cannot be recorded. */
  get(id: string): ProxySession | null {
    const s = this.sessions.get(id);
    if (s && !s.ended) return s;
    if (this.o.out === null) return null;
    const dir = join(this.o.out, id);
    // An ended session's id used again starts a new recording beside the old one.
    const paths = { calls: join(dir, RECORDING_FILES.calls), trajectory: join(dir, s ? `trajectory-${Date.now()}.json` : RECORDING_FILES.trajectory) };
    return this.open(id, paths);
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  end(id: string): { trajectory: string | null; calls: number } | null {
    const s = this.sessions.get(id);
    if (!s) return null;
    return { trajectory: s.end(), calls: s.calls };
  }

  endAll(): Array<{ id: string; trajectory: string | null }> {
    return [...this.sessions.values()].filter((s) => !s.ended).map((s) => ({ id: s.id, trajectory: s.end() }));
  }
}
