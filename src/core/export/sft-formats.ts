/**
 * The three SFT line formats, each a converter from a prepared conversation and a zod schema that
 * every line is checked against before it is written:
 * - openai: OpenAI fine-tuning chat JSONL — `messages` with native assistant `tool_calls`
 *   (arguments as JSON text) answered by `tool` messages (`tool_call_id`), and `tools`;
 * - trl: TRL's conversational tool-calling rows — the same shape with arguments as objects and the
 *   tool's `name` on each tool message (what chat templates render);
 * - sharegpt: LLaMA-Factory's ShareGPT — `conversations` of human / gpt / function_call /
 *   observation turns (human or observation, then gpt or function_call, alternating; an even count),
 *   the system prompt in `system`, the tools as a JSON string in `tools`.
 */
import { z } from 'zod';
import type { ConvMessage } from './conversation.js';

export const SFT_FORMATS = ['openai', 'trl', 'sharegpt'] as const;

/**
 * What each line says about where it came from, in every format: the tool profile the model was
 * given (`coding`, `openclaw-2026.9.6`, or `custom` for a black box's own tool set), so data from
 * claw and from the real OpenClaw share one schema and can be told apart or filtered.
 */
export const SftMetadata = z.object({ tool_profile: z.string().min(1), agent: z.string().optional(), source: z.string().optional() }).strict();
export type SftMetadata = z.infer<typeof SftMetadata>;
export type SftFormat = (typeof SFT_FORMATS)[number];

export const FunctionTool = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});
export type FunctionTool = z.infer<typeof FunctionTool>;
const Tools = z.array(FunctionTool).superRefine((ts, ctx) => {
  const names = ts.map((t) => t.function.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: [i, 'function', 'name'], message: `tool "${n}" declared twice` });
  });
});

const jsonObject = (s: string): Record<string, unknown> | null => {
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
};

/** The rule both chat formats share: each tool message answers one call of the assistant turn before it, and every call is answered exactly once. */
function checkToolPairing(messages: ReadonlyArray<{ role: string; tool_calls?: ReadonlyArray<{ id: string }>; tool_call_id?: string }>, ctx: z.RefinementCtx): void {
  let open = new Set<string>();
  let lastCalls: string[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'tool') {
      if (!m.tool_call_id || !open.has(m.tool_call_id)) ctx.addIssue({ code: 'custom', path: ['messages', i, 'tool_call_id'], message: `answers no open call of the previous assistant turn` });
      else open.delete(m.tool_call_id);
      return;
    }
    if (open.size) ctx.addIssue({ code: 'custom', path: ['messages', i], message: `calls ${[...open].join(', ')} of the previous assistant turn are unanswered` });
    lastCalls = m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : [];
    open = new Set(lastCalls);
  });
  if (open.size) ctx.addIssue({ code: 'custom', path: ['messages'], message: `calls ${[...open].join(', ')} are unanswered` });
  if (!messages.some((m) => m.role === 'assistant')) ctx.addIssue({ code: 'custom', path: ['messages'], message: 'no assistant message' });
}

// ---- openai ----

const OpenAiMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }).strict(),
  z.object({ role: z.literal('user'), content: z.string() }).strict(),
  z
    .object({
      role: z.literal('assistant'),
      content: z.string().optional(),
      tool_calls: z
        .array(
          z
            .object({
              id: z.string().min(1),
              type: z.literal('function'),
              function: z.object({ name: z.string().min(1), arguments: z.string().refine((s) => jsonObject(s) !== null, 'arguments must be the JSON text of an object') }).strict(),
            })
            .strict(),
        )
        .min(1)
        .optional(),
    })
    .strict()
    .refine((m) => m.content !== undefined || m.tool_calls, 'an assistant message needs content or tool_calls'),
  z.object({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: z.string() }).strict(),
]);

export const OpenAiLine = z
  .object({ messages: z.array(OpenAiMessage).min(2), tools: Tools, metadata: SftMetadata.optional() })
  .strict()
  .superRefine((l, ctx) => checkToolPairing(l.messages, ctx));
export type OpenAiLine = z.infer<typeof OpenAiLine>;

function toOpenAi(messages: readonly ConvMessage[], tools: FunctionTool[]): OpenAiLine {
  return {
    messages: messages.map((m) => {
      if (m.role === 'system' || m.role === 'user') return { role: m.role, content: m.content };
      if (m.role === 'tool') return { role: 'tool', tool_call_id: m.call_id, content: m.content };
      // OpenAI's format has no reasoning field: the reasoning is not trained on here.
      return {
        role: 'assistant',
        ...(m.content || !m.calls.length ? { content: m.content } : {}),
        ...(m.calls.length ? { tool_calls: m.calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : {}),
      };
    }),
    tools,
  };
}

// ---- trl ----

const TrlMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }).strict(),
  z.object({ role: z.literal('user'), content: z.string() }).strict(),
  z
    .object({
      role: z.literal('assistant'),
      content: z.string(),
      reasoning_content: z.string().optional(),
      tool_calls: z
        .array(z.object({ id: z.string().min(1), type: z.literal('function'), function: z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()) }).strict() }).strict())
        .min(1)
        .optional(),
    })
    .strict(),
  z.object({ role: z.literal('tool'), name: z.string().min(1), tool_call_id: z.string().min(1), content: z.string() }).strict(),
]);

export const TrlLine = z
  .object({ messages: z.array(TrlMessage).min(2), tools: Tools, metadata: SftMetadata.optional() })
  .strict()
  .superRefine((l, ctx) => {
    checkToolPairing(l.messages, ctx);
    // The tool message's name is the called function's (chat templates show it).
    const names = new Map(l.messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => [c.id, c.function.name] as const) : [])));
    l.messages.forEach((m, i) => {
      if (m.role === 'tool' && names.get(m.tool_call_id) !== undefined && names.get(m.tool_call_id) !== m.name) ctx.addIssue({ code: 'custom', path: ['messages', i, 'name'], message: `"${m.name}" is not the name of call ${m.tool_call_id}` });
    });
  });
export type TrlLine = z.infer<typeof TrlLine>;

function toTrl(messages: readonly ConvMessage[], tools: FunctionTool[]): TrlLine {
  return {
    messages: messages.map((m) => {
      if (m.role === 'system' || m.role === 'user') return { role: m.role, content: m.content };
      if (m.role === 'tool') return { role: 'tool', name: m.name, tool_call_id: m.call_id, content: m.content };
      return {
        role: 'assistant',
        content: m.content,
        ...(m.reasoning ? { reasoning_content: m.reasoning } : {}),
        ...(m.calls.length ? { tool_calls: m.calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}),
      };
    }),
    tools,
  };
}

// ---- sharegpt (LLaMA-Factory) ----

/** How LLaMA-Factory itself joins the results of parallel calls into one observation turn. */
export const OBSERVATION_JOINER = '\n</tool_response>\n<tool_response>\n';

const FunctionCall = z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()) }).strict();
const FunctionCallValue = z.union([FunctionCall, z.array(FunctionCall).min(1)]);

export const ShareGptLine = z
  .object({
    conversations: z.array(z.object({ from: z.enum(['human', 'gpt', 'function_call', 'observation']), value: z.string() }).strict()).min(2),
    system: z.string(),
    tools: z.string(),
    metadata: SftMetadata.optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    const c = l.conversations;
    if (c.length % 2) ctx.addIssue({ code: 'custom', path: ['conversations'], message: `${c.length} turns: must be even (ending with gpt or function_call)` });
    c.forEach((t, i) => {
      const ok = i % 2 === 0 ? t.from === 'human' || t.from === 'observation' : t.from === 'gpt' || t.from === 'function_call';
      if (!ok) ctx.addIssue({ code: 'custom', path: ['conversations', i, 'from'], message: `"${t.from}" at position ${i}: human/observation and gpt/function_call must alternate, starting with human` });
      if (t.from === 'observation' && c[i - 1]?.from !== 'function_call') ctx.addIssue({ code: 'custom', path: ['conversations', i], message: 'an observation must follow a function_call' });
      if (t.from === 'function_call') {
        let v: unknown;
        try {
          v = JSON.parse(t.value);
        } catch {
          v = undefined;
        }
        if (!FunctionCallValue.safeParse(v).success) ctx.addIssue({ code: 'custom', path: ['conversations', i, 'value'], message: 'a function_call value must be the JSON of {name, arguments} or a list of them' });
      }
    });
    let tools: unknown;
    try {
      tools = JSON.parse(l.tools);
    } catch {
      tools = undefined;
    }
    if (!Array.isArray(tools) || tools.some((t) => !t || typeof t.name !== 'string')) ctx.addIssue({ code: 'custom', path: ['tools'], message: 'tools must be the JSON text of a list of functions (name, description, parameters)' });
  });
export type ShareGptLine = z.infer<typeof ShareGptLine>;

type Turn = ShareGptLine['conversations'][number];

function toShareGpt(messages: readonly ConvMessage[], tools: FunctionTool[]): ShareGptLine | string {
  const system: string[] = [];
  const turns: Turn[] = [];
  let i = 0;
  for (; i < messages.length && messages[i]!.role === 'system'; i++) system.push(messages[i]!.content);
  for (; i < messages.length; i++) {
    const m = messages[i]!;
    const last = turns.at(-1);
    if (m.role === 'system') return 'a system message after the conversation began (ShareGPT has one system prompt)';
    if (m.role === 'user') {
      // Consecutive user messages are one human turn.
      if (last?.from === 'human') last.value += `\n\n${m.content}`;
      else turns.push({ from: 'human', value: m.content });
    } else if (m.role === 'assistant' && !m.calls.length) {
      if (last?.from === 'gpt') last.value += `\n\n${m.content}`;
      else turns.push({ from: 'gpt', value: m.content });
    } else if (m.role === 'assistant') {
      // The function_call slot holds only the calls: text said beside them has no place in ShareGPT.
      const calls = m.calls.map((c) => ({ name: c.name, arguments: c.arguments }));
      turns.push({ from: 'function_call', value: JSON.stringify(calls.length === 1 ? calls[0] : calls) });
      const results: string[] = [];
      const order = new Map(m.calls.map((c, n) => [c.id, n]));
      const answers: Array<{ n: number; content: string }> = [];
      while (messages[i + 1]?.role === 'tool') {
        const t = messages[++i] as Extract<ConvMessage, { role: 'tool' }>;
        answers.push({ n: order.get(t.call_id) ?? answers.length, content: t.content });
      }
      for (const a of answers.sort((x, y) => x.n - y.n)) results.push(a.content);
      if (results.length) turns.push({ from: 'observation', value: results.join(OBSERVATION_JOINER) });
    } else return 'a tool result outside a function call';
  }
  // LLaMA-Factory trains on an even number of turns ending with the model: a last observation goes.
  if (turns.at(-1)?.from === 'observation') turns.pop();
  if (turns[0]?.from !== 'human') return 'the conversation does not start with a user message';
  // Turns ShareGPT cannot alternate (two model turns in a row, a user turn right after tool results).
  const broken = turns.findIndex((t, n) => (n % 2 === 0) !== (t.from === 'human' || t.from === 'observation'));
  if (broken >= 0) return `turn ${broken + 1} (${turns[broken]!.from}) breaks ShareGPT's user/model alternation`;
  return { conversations: turns, system: system.join('\n\n'), tools: JSON.stringify(tools.map((t) => t.function)) };
}

/** A line of the format, or why this conversation cannot be one (the example is skipped). */
export function toSftLine(format: SftFormat, messages: readonly ConvMessage[], tools: FunctionTool[]): object | string {
  if (format === 'openai') return toOpenAi(messages, tools);
  if (format === 'trl') return toTrl(messages, tools);
  return toShareGpt(messages, tools);
}

export const LINE_SCHEMAS: Record<SftFormat, z.ZodType> = { openai: OpenAiLine, trl: TrlLine, sharegpt: ShareGptLine };
