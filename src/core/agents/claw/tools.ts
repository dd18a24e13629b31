/**
 * The tools declared to the model, per profile (agents/spec.ts `TOOL_PROFILES`): `coding`,
 * OpenClaw's coding profile (read, edit, write, exec, process) with exactly the names and
 * parameters of ../shared/reference/openclaw-coding-tools.json (aliases included), and
 * `openclaw-2026.9.6`, the tools OpenClaw 2026.9.6 declares that make sense in a sandbox (read,
 * write, edit with edits[], apply_patch, ls, exec, process; openclaw-2026.9.6-declared-tools.json),
 * so trajectories are interchangeable with OpenClaw's; the descriptions are our own words. Arguments are normalised here:
 * aliases (file_path, old_string, …) map to one canonical name before a tool runs.
 */
import { z } from 'zod';
import declared from './tools.json' with { type: 'json' };
import declared2026 from './tools-openclaw-2026.9.6.json' with { type: 'json' };
import type { ChatCompletionTool } from '../../llm/client.js';
import { DEFAULT_TOOL_PROFILE, type ToolProfile } from '../spec.js';

/** The default profile's tools (OpenClaw's coding profile). */
export const CLAW_TOOLS = declared as unknown as ChatCompletionTool[];
export const TOOL_NAMES = ['read', 'edit', 'write', 'exec', 'process', 'ls', 'apply_patch'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Each profile's tools as declared to the model (names and parameters: OpenClaw's; descriptions: ours). */
export const PROFILE_TOOLS: Record<ToolProfile, ChatCompletionTool[]> = {
  coding: CLAW_TOOLS,
  'openclaw-2026.9.6': declared2026 as unknown as ChatCompletionTool[],
};

export function toolsOf(profile: ToolProfile = DEFAULT_TOOL_PROFILE): ChatCompletionTool[] {
  return PROFILE_TOOLS[profile];
}

function namesOf(tools: readonly ChatCompletionTool[]): string[] {
  return tools.flatMap((t) => (t.type === 'function' ? [t.function.name] : []));
}

/** The profile whose tool names a set of declared tools has (a recording's), or null. */
export function profileOfToolNames(names: readonly string[]): ToolProfile | null {
  const key = [...names].sort().join(',');
  for (const [p, tools] of Object.entries(PROFILE_TOOLS)) if (namesOf(tools).sort().join(',') === key) return p as ToolProfile;
  return null;
}

export function profileToolNames(profile: ToolProfile = DEFAULT_TOOL_PROFILE): string[] {
  return namesOf(toolsOf(profile));
}

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
const Replacement = z.object({ oldText: z.string().min(1), newText: z.string() });
/** Canonical: a list of replacements (the coding profile's single oldText/newText is a list of one). */
export const EditArgs = z.object({ path: z.string().min(1), edits: z.array(Replacement).min(1) });
export const LsArgs = z.object({ path: z.string().min(1).default('.'), limit: num.int().min(1).optional(), after: z.string().optional() });
export const PatchArgs = z.object({ input: z.string().min(1) });
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
export type LsArgs = z.infer<typeof LsArgs>;
export type PatchArgs = z.infer<typeof PatchArgs>;

export type ToolArgs =
  | { tool: 'read'; args: ReadArgs }
  | { tool: 'write'; args: WriteArgs }
  | { tool: 'edit'; args: EditArgs }
  | { tool: 'exec'; args: ExecArgs }
  | { tool: 'process'; args: ProcessArgs }
  | { tool: 'ls'; args: LsArgs }
  | { tool: 'apply_patch'; args: PatchArgs };

/** A problem the model should hear about and can fix (not a crash). */
export class ToolInputError extends Error {}

/** A tool of this profile (a tool of another profile is unknown here, as it is to the model). */
export function isToolName(n: string, profile: ToolProfile = DEFAULT_TOOL_PROFILE): n is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(n) && profileToolNames(profile).includes(n);
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
      if (Array.isArray(a.edits)) return { tool, args: check(tool, EditArgs, { path, edits: a.edits }) };
      return { tool, args: check(tool, EditArgs, { path, edits: [{ oldText: firstOf(a, OLD_ALIASES), newText: firstOf(a, NEW_ALIASES) }] }) };
    case 'ls':
      return { tool, args: check(tool, LsArgs, { path: path ?? '.', limit: a.limit, after: a.after }) };
    case 'apply_patch':
      return { tool, args: check(tool, PatchArgs, { input: a.input ?? a.patch }) };
    case 'exec':
      return { tool, args: check(tool, ExecArgs, a) };
    case 'process':
      return { tool, args: check(tool, ProcessArgs, a) };
  }
}
