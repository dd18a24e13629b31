/**
 * OpenEnv's wire protocol (meta-pytorch/OpenEnv, v0.2.x), as the environment server speaks it:
 * the WebSocket messages of /ws, the actions of a tool environment, the one-shot HTTP /reset and
 * /step bodies, the error codes, JSON-RPC for /mcp, and what GET /schema returns. Written from the
 * protocol; field names and codes are OpenEnv's so its clients (EnvClient, GenericEnvClient,
 * MCPToolClient) work unchanged.
 */
import { z } from 'zod';

/** OpenEnv's WSErrorCode values. */
export const WsErrorCode = z.enum(['INVALID_JSON', 'UNKNOWN_TYPE', 'VALIDATION_ERROR', 'EXECUTION_ERROR', 'CAPACITY_REACHED', 'FACTORY_ERROR', 'SESSION_ERROR']);
export type WsErrorCode = z.infer<typeof WsErrorCode>;

/** WebSocket close codes the server uses (RFC 6455 ones where one fits, 4xxx of our own otherwise). */
export const CLOSE = {
  normal: 1000,
  /** The server is shutting down: the episode is closed, nothing of it keeps running. */
  shutdown: 1001,
  /** A message over the size limit. */
  tooBig: 1009,
  /** Every slot is taken: after a CAPACITY_REACHED error message. */
  tryLater: 1013,
  /** The session was idle longer than the idle timeout and was reaped. */
  idle: 4408,
} as const;

const Metadata = z.record(z.string(), z.unknown()).default({});

export const CallToolAction = z
  .object({
    type: z.literal('call_tool'),
    tool_name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).default({}),
    /** The policy's text beside the call, kept in the trajectory and transcript. */
    message: z.string().optional(),
    metadata: Metadata,
  })
  .strict();

export const ListToolsAction = z.object({ type: z.literal('list_tools'), metadata: Metadata }).strict();

/** The agent is done: the workspace is verified and the observation carries the reward. */
export const FinishAction = z
  .object({
    type: z.literal('finish'),
    /** The agent's final answer, if any (kept as its last message). */
    message: z.string().optional(),
    metadata: Metadata,
  })
  .strict();

/** The agent's final message (an answer without a tool call, as OpenClaw ends a turn): ends the episode like finish. */
export const MessageAction = z.object({ type: z.literal('message'), content: z.string(), metadata: Metadata }).strict();

export const Action = z.discriminatedUnion('type', [CallToolAction, ListToolsAction, FinishAction, MessageAction]);
export type Action = z.infer<typeof Action>;

/** Reset data (OpenEnv's ResetRequest fields plus task selection and GRPO groups). Unknown keys are ignored, as OpenEnv does. */
export const ResetData = z.object({
  seed: z.number().int().optional(),
  episode_id: z.string().min(1).max(255).optional(),
  /** Which task; else the seed picks one (same seed, same pool → same task); else one at random. */
  task_id: z.string().min(1).optional(),
  /** Join (or start) a GRPO group: episodes of one task from identical workspaces, rewards gathered together. */
  group_id: z.string().min(1).max(255).optional(),
  /** Members the group waits for (set by its first member). */
  group_size: z.number().int().min(1).max(1024).optional(),
});
export type ResetData = z.infer<typeof ResetData>;
export const RESET_KEYS = Object.keys(ResetData.shape);

/** Client → server messages on /ws. */
export const WsMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reset'), data: z.record(z.string(), z.unknown()).default({}) }).strict(),
  z.object({ type: z.literal('step'), data: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ type: z.literal('state') }).strict(),
  z.object({ type: z.literal('close') }).strict(),
  z.object({ type: z.literal('mcp'), data: z.record(z.string(), z.unknown()) }).strict(),
]);
export type WsMessage = z.infer<typeof WsMessage>;

/** HTTP one-shot bodies: OpenEnv's ResetRequest and StepRequest (extra fields allowed, as there). */
export const HttpResetRequest = ResetData.loose();
export const HttpStepRequest = z
  .object({
    action: z.record(z.string(), z.unknown()),
    timeout_s: z.number().positive().optional(),
    request_id: z.string().max(255).optional(),
    /** The task of the one-shot episode (else by seed, else at random). */
    task_id: z.string().min(1).optional(),
    seed: z.number().int().optional(),
  })
  .loose();

/** A tool's answer, shaped as MCP's CallToolResult (OpenEnv's clients read `data`). */
export const ToolResult = z.object({
  content: z.array(z.object({ type: z.literal('text'), text: z.string() })),
  structured_content: z.object({ result: z.string() }).nullable(),
  data: z.string(),
  is_error: z.boolean(),
});

/** OpenEnv's ToolError: the call did not reach a tool (unknown tool, bad arguments, timeout). */
export const ToolError = z.object({
  error_type: z.enum(['execution_error', 'invalid_args', 'transport_error', 'tool_not_found', 'timeout']),
  message: z.string(),
});

export const ToolSpec = z.object({ name: z.string(), description: z.string(), input_schema: z.record(z.string(), z.unknown()) });

/**
 * The observation: after reset, the task; after call_tool, the tool's result (`tool_name`,
 * `result`, `error`, as OpenEnv's CallToolObservation); after list_tools, `tools`; when the episode
 * ends, `metadata.verification` with the reward and every check.
 */
export const Observation = z.object({
  /** null only for list_tools before any reset. */
  episode_id: z.string().nullable(),
  task_id: z.string().optional(),
  instruction: z.string().optional(),
  system_prompt: z.string().optional(),
  cwd: z.string().optional(),
  tool_name: z.string().optional(),
  result: ToolResult.nullable().optional(),
  error: ToolError.nullable().optional(),
  tools: z.array(ToolSpec).optional(),
  metadata: z.record(z.string(), z.unknown()),
});
export type Observation = z.infer<typeof Observation>;

/** An answer to reset or step: OpenEnv's StepResponse. */
export interface StepResult {
  observation: Observation;
  reward: number | null;
  done: boolean;
}

export const State = z.object({
  episode_id: z.string().nullable(),
  step_count: z.number().int().min(0),
  task_id: z.string().nullable(),
  done: z.boolean(),
  reward: z.number().nullable(),
  seed: z.number().int().nullable(),
  group_id: z.string().nullable(),
  max_steps: z.number().int(),
  end_reason: z.string().nullable(),
});
export type State = z.infer<typeof State>;

/** GET /schema: the JSON Schemas of actions, observations and state. */
export function schemas(): { action: unknown; observation: unknown; state: unknown } {
  const js = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  return { action: js(Action), observation: js(Observation), state: js(State) };
}

/** JSON-RPC 2.0 (MCP over /mcp). */
export const JsonRpcRequest = z
  .object({
    jsonrpc: z.literal('2.0'),
    method: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    id: z.union([z.string(), z.number().int()]).nullable().optional(),
  })
  .strict();
export type JsonRpcRequest = z.infer<typeof JsonRpcRequest>;

export const RPC = { parseError: -32700, invalidRequest: -32600, methodNotFound: -32601, invalidParams: -32602, internal: -32603, server: -32000 } as const;

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: string | number | null; result: unknown }
  | { jsonrpc: '2.0'; id: string | number | null; error: { code: number; message: string; data?: unknown } };

export const rpcResult = (id: string | number | null | undefined, result: unknown): JsonRpcResponse => ({ jsonrpc: '2.0', id: id ?? null, result });
export const rpcError = (id: string | number | null | undefined, code: number, message: string, data?: unknown): JsonRpcResponse => ({
  jsonrpc: '2.0',
  id: id ?? null,
  error: { code, message, ...(data === undefined ? {} : { data }) },
});

/** zod issues as FastAPI reports validation errors (OpenEnv answers 422 {"detail": [...]}). */
export function validationDetail(issues: readonly z.core.$ZodIssue[], loc: readonly (string | number)[] = ['body']): Array<{ type: string; loc: (string | number)[]; msg: string }> {
  return issues.map((i) => ({ type: i.code, loc: [...loc, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], msg: i.message }));
}
