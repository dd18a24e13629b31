/**
 * The tools declared to the model: OpenClaw's coding profile (read, edit, write, exec, process)
 * with exactly the names and parameters of ../shared/reference/openclaw-coding-tools.json (aliases
 * included), so trajectories are interchangeable with ClawGym's SFT data; the descriptions in
 * `tools.json` are our own words. Arguments are normalised here:
 * aliases (file_path, old_string, …) map to one canonical name before a tool runs.
 */
import { z } from 'zod';
import declared from './tools.json' with { type: 'json' };
import type { ChatCompletionTool } from '../../llm/client.js';

export const CLAW_TOOLS = declared as unknown as ChatCompletionTool[];
export const TOOL_NAMES = ['read', 'edit', 'write', 'exec', 'process'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

const PATH_ALIASES = ['path', 'file_path', 'filePath', 'file'];
const OLD_ALIASES = ['oldText', 'old_string', 'old_text', 'oldString'];
const NEW_ALIASES = ['newText', 'new_string', 'new_text', 'newString'];

function firstOf(args: Record<string, unknown>, names: string[]): unknown {
  for (const n of names) if (args[n] !== undefined && args[n] !== null) return args[n];
  return undefined;
}

const num = z.number().finite();

export const ReadArgs = z.object({ path: z.string().min(1), offset: num.int().min(1).optional(), limit: num.int().min(1).optional() });
export const WriteArgs = z.object({ path: z.string().min(1), content: z.string() });
export const EditArgs = z.object({ path: z.string().min(1), oldText: z.string().min(1), newText: z.string() });
export const ExecArgs = z.object({
  command: z.string().min(1),
  workdir: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  yieldMs: num.min(0).optional(),
  background: z.boolean().optional(),
  timeout: num.positive().optional(),
  pty: z.boolean().optional(),
  elevated: z.boolean().optional(),
  host: z.string().optional(),
  security: z.string().optional(),
  ask: z.string().optional(),
  node: z.string().optional(),
});
export const ProcessArgs = z.object({
  action: z.string().min(1),
  sessionId: z.string().optional(),
  data: z.string().optional(),
  keys: z.array(z.string()).optional(),
  hex: z.array(z.string()).optional(),
  literal: z.string().optional(),
  text: z.string().optional(),
  bracketed: z.boolean().optional(),
  eof: z.boolean().optional(),
  offset: num.int().min(0).optional(),
  limit: num.int().min(1).optional(),
  timeout: num.min(0).optional(),
});
export type ReadArgs = z.infer<typeof ReadArgs>;
export type WriteArgs = z.infer<typeof WriteArgs>;
export type EditArgs = z.infer<typeof EditArgs>;
export type ExecArgs = z.infer<typeof ExecArgs>;
export type ProcessArgs = z.infer<typeof ProcessArgs>;

export type ToolArgs =
  | { tool: 'read'; args: ReadArgs }
  | { tool: 'write'; args: WriteArgs }
  | { tool: 'edit'; args: EditArgs }
  | { tool: 'exec'; args: ExecArgs }
  | { tool: 'process'; args: ProcessArgs };

/** A problem the model should hear about and can fix (not a crash). */
export class ToolInputError extends Error {}

export function isToolName(n: string): n is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(n);
}

/** Parse a tool call's JSON arguments: the model may write anything. */
export function parseArguments(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new ToolInputError(`the arguments are not valid JSON (${(e as Error).message}); send a JSON object matching the tool's parameters`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ToolInputError('the arguments must be a JSON object');
  return v as Record<string, unknown>;
}

function check<T>(tool: string, schema: z.ZodType<T>, v: unknown): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  throw new ToolInputError(`invalid arguments for ${tool}: ${r.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`);
}

/** Canonical arguments for a known tool (aliases resolved), or a ToolInputError. */
export function normaliseArgs(tool: ToolName, a: Record<string, unknown>): ToolArgs {
  const path = firstOf(a, PATH_ALIASES);
  switch (tool) {
    case 'read':
      return { tool, args: check(tool, ReadArgs, { path, offset: a.offset, limit: a.limit }) };
    case 'write':
      return { tool, args: check(tool, WriteArgs, { path, content: a.content }) };
    case 'edit':
      return { tool, args: check(tool, EditArgs, { path, oldText: firstOf(a, OLD_ALIASES), newText: firstOf(a, NEW_ALIASES) }) };
    case 'exec':
      return { tool, args: check(tool, ExecArgs, a) };
    case 'process':
      return { tool, args: check(tool, ProcessArgs, a) };
  }
}
