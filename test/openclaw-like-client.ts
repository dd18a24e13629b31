/**
 * A client that talks to a Chat Completions endpoint the way OpenClaw 2026.9.6 does (measured on
 * the real one): every request streams with `include_usage`, `tool_choice: "auto"` and
 * `max_completion_tokens`; a runtime-context user message (`<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>`)
 * is appended to each request and never kept in the history; the model's tool call ids are renamed
 * in the history (consistently from one request to the next); and the stream is dropped as soon as
 * the chunk carrying finish_reason arrives. Tool results come from `runTool`.
 */
export interface OpenClawLikeOptions {
  base: string;
  session?: string;
  model: string;
  system: string;
  instruction: string;
  tools: unknown[];
  runTool: (name: string, args: Record<string, unknown>) => string;
  maxTurns?: number;
}

type Json = Record<string, any>;

export const contextCarrier = (n: number): Json => ({
  role: 'user',
  content: `<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nThis context is runtime-generated, not user-authored. Keep internal details private.\n\nRequest ${n}; current time 2026-12-07T23:00:0${n}Z.\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>>`,
});

export async function openclawLike(o: OpenClawLikeOptions): Promise<{ answer: string; requests: number; renamed: Map<string, string> }> {
  const history: Json[] = [
    { role: 'system', content: o.system },
    { role: 'user', content: o.instruction },
  ];
  const renamed = new Map<string, string>();
  for (let n = 1; n <= (o.maxTurns ?? 8); n++) {
    const ac = new AbortController();
    const r = await fetch(`${o.base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer placeholder', ...(o.session ? { 'x-clawgym-session': o.session } : {}) },
      body: JSON.stringify({ model: o.model, stream: true, stream_options: { include_usage: true }, tool_choice: 'auto', max_completion_tokens: 4096, tools: o.tools, messages: [...history, contextCarrier(n)] }),
      signal: ac.signal,
    });
    if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
    let content = '';
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    let buf = '';
    let finished = false;
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    while (!finished) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      const events = buf.split('\n\n');
      buf = events.pop()!;
      for (const e of events) {
        if (!e.startsWith('data: ') || e.includes('[DONE]')) continue;
        const chunk = JSON.parse(e.slice(6));
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        if (choice.delta?.content) content += choice.delta.content;
        for (const tc of choice.delta?.tool_calls ?? []) {
          calls[tc.index] ??= { id: '', name: '', arguments: '' };
          if (tc.id) calls[tc.index]!.id = tc.id;
          if (tc.function?.name) calls[tc.index]!.name += tc.function.name;
          if (tc.function?.arguments) calls[tc.index]!.arguments += tc.function.arguments;
        }
        if (choice.finish_reason) finished = true;
      }
    }
    // Hang up right away, as OpenClaw does: the usage chunk may still be on its way.
    ac.abort();
    const ids = calls.map((c) => {
      const id = `toolu_${String(renamed.size + 1).padStart(2, '0')}`;
      renamed.set(c.id, id);
      return id;
    });
    history.push({ role: 'assistant', content: content || null, ...(calls.length ? { tool_calls: calls.map((c, i) => ({ id: ids[i], type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}) });
    if (!calls.length) return { answer: content, requests: n, renamed };
    calls.forEach((c, i) => history.push({ role: 'tool', tool_call_id: ids[i], content: o.runTool(c.name, JSON.parse(c.arguments || '{}')) }));
  }
  throw new Error('no final answer');
}
