/**
 * MCP over JSON-RPC 2.0, as OpenEnv's tool environments serve it (POST /mcp, WebSocket /mcp, and
 * `{"type": "mcp"}` messages on /ws): `tools/list`, `tools/call`, OpenEnv's session methods
 * (`openenv/session/create`, `openenv/session/close`), MCP's `initialize` and `ping`, and
 * `clawgym/finish` to end a session's episode with its reward. A call without a session runs in
 * a fresh episode of its own that is closed right after (OpenEnv's stateless mode).
 */
import { errorMessage } from '../errors.js';
import { VERSION } from '../version.js';
import { finishEpisode, toolSpecs, type ActionOptions } from './actions.js';
import { CapacityError, UnknownEpisodeError, UnknownTaskError, type Environment } from './environment.js';
import type { Episode } from './episode.js';
import { EpisodeStateError } from './episode.js';
import { JsonRpcRequest, RPC, rpcError, rpcResult, type JsonRpcResponse } from './openenv.js';

const PROTOCOL_VERSION = '2025-06-18';

/** Where a request's episode comes from: a /ws session's own, else `session_id`, else a one-shot one. */
export interface McpScope {
  bound?: () => Episode | undefined;
  /** A WebSocket /mcp connection opens its own episode on first use. */
  open?: (p: { task_id?: string; seed?: number }) => Promise<Episode>;
}

export class McpHandler {
  constructor(
    private readonly env: Environment,
    private readonly actions: ActionOptions,
  ) {}

  /** Parse and answer one JSON-RPC message; null for a notification (no answer). */
  async handleRaw(body: unknown, scope: McpScope = {}): Promise<JsonRpcResponse | null> {
    const r = JsonRpcRequest.safeParse(body);
    if (!r.success) {
      const id = body && typeof body === 'object' && 'id' in body ? ((body as { id: unknown }).id as string | number | null) : null;
      return rpcError(typeof id === 'string' || typeof id === 'number' ? id : null, RPC.invalidRequest, `Invalid request: ${r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
    }
    return this.handle(r.data, scope);
  }

  async handle(req: JsonRpcRequest, scope: McpScope = {}): Promise<JsonRpcResponse | null> {
    const notification = req.id === undefined;
    try {
      const result = await this.dispatch(req, scope);
      return notification ? null : rpcResult(req.id, result);
    } catch (e) {
      if (notification) return null;
      return errorResponse(req.id ?? null, e);
    }
  }

  private async dispatch(req: JsonRpcRequest, scope: McpScope): Promise<unknown> {
    const p = req.params;
    switch (req.method) {
      case 'initialize':
        return {
          protocolVersion: typeof p.protocolVersion === 'string' ? p.protocolVersion : PROTOCOL_VERSION,
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: 'clawgym', version: VERSION },
          instructions: 'ClawGym tasks as an environment: the claw agent tools (read, write, edit, exec, process) in a sandboxed workspace. Create a session (openenv/session/create) to work on one task; end it with clawgym/finish for the reward.',
        };
      case 'ping':
        return {};
      case 'tools/list':
        return { tools: toolSpecs().map((t) => ({ name: t.name, description: t.description, inputSchema: t.input_schema })) };
      case 'tools/call':
        return this.callTool(p, scope);
      case 'openenv/session/create': {
        if (scope.open) {
          const own = await scope.open({ task_id: str(p.task_id), seed: int(p.seed) });
          return { session_id: own.id, task_id: own.task.spec.id, instruction: own.task.spec.instruction, system_prompt: own.systemPrompt, cwd: own.task.spec.mount };
        }
        // An episode with a slot of its own, until closed or reaped when idle.
        const ep = await this.env.openEpisode({ task_id: str(p.task_id), seed: int(p.seed), group_id: str(p.group_id), group_size: int(p.group_size) }, { slotHeld: false });
        return { session_id: ep.id, task_id: ep.task.spec.id, instruction: ep.task.spec.instruction, system_prompt: ep.systemPrompt, cwd: ep.task.spec.mount };
      }
      case 'openenv/session/close': {
        const id = str(p.session_id);
        if (!id) throw new RpcError(RPC.invalidParams, "Invalid params - 'session_id' is required");
        if (scope.bound?.()?.id === id) throw new RpcError(RPC.invalidRequest, 'Cannot close the WebSocket session’s own episode via MCP: send {"type": "close"}');
        await this.env.end(this.env.episode(id), 'closed');
        return { session_id: id, closed: true };
      }
      case 'clawgym/finish': {
        const ep = this.sessionEpisode(p, scope);
        if (!ep) throw new RpcError(RPC.invalidParams, "Invalid params - 'session_id' is required");
        const r = await finishEpisode(ep, 'finish', str(p.message), this.actions);
        return { reward: r.reward, done: r.done, metadata: r.observation.metadata };
      }
      default:
        if (req.method.startsWith('notifications/')) return null;
        throw new RpcError(RPC.methodNotFound, `Method not found: ${req.method}`);
    }
  }

  private sessionEpisode(p: Record<string, unknown>, scope: McpScope): Episode | undefined {
    const bound = scope.bound?.();
    if (bound) return bound;
    const id = str(p.session_id);
    return id ? this.env.episode(id) : undefined;
  }

  private async callTool(p: Record<string, unknown>, scope: McpScope): Promise<unknown> {
    const name = str(p.name);
    if (!name) throw new RpcError(RPC.invalidParams, "Missing 'name' in params");
    const args = p.arguments ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new RpcError(RPC.invalidParams, "'arguments' must be an object");
    const run = async (ep: Episode) => {
      const r = await ep.step(name, args as Record<string, unknown>);
      if (r.problem === 'tool_not_found') throw new RpcError(RPC.invalidParams, `Tool not found: ${name}`);
      return { content: [{ type: 'text', text: r.text }], isError: r.isError, structuredContent: { result: r.text }, data: r.text };
    };
    const ep = this.sessionEpisode(p, scope) ?? (scope.open ? await scope.open({ task_id: str(p.task_id), seed: int(p.seed) }) : undefined);
    if (ep) return run(ep);
    // Stateless: a fresh episode for this one call.
    const once = await this.env.openEpisode({ task_id: str(p.task_id), seed: int(p.seed) }, { slotHeld: false });
    try {
      return await run(once);
    } finally {
      await this.env.end(once, 'closed');
    }
  }
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

function errorResponse(id: string | number | null, e: unknown): JsonRpcResponse {
  if (e instanceof RpcError) return rpcError(id, e.code, e.message, e.data);
  if (e instanceof CapacityError) return rpcError(id, RPC.server, e.message, { active_sessions: e.active, max_sessions: e.max });
  if (e instanceof UnknownEpisodeError) return rpcError(id, RPC.invalidParams, e.ended ? e.message : `Unknown session_id: ${e.message.replace(/^no episode /, '')}`);
  if (e instanceof UnknownTaskError || e instanceof EpisodeStateError) return rpcError(id, RPC.invalidParams, e.message);
  return rpcError(id, RPC.internal, errorMessage(e));
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
