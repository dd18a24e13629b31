/**
 * One OpenEnv session: a WebSocket at /ws holding one slot for as long as it is open, with at most
 * one episode at a time. Messages are answered one at a time, in order: `reset` (closes the
 * current episode, opens a new one), `step` (an action), `state`, `close`, and `mcp` (JSON-RPC on
 * the session's episode). Errors are OpenEnv's `{"type": "error", "data": {message, code}}` and
 * never end the session; the socket closes with a code that says why (see CLOSE).
 */
import type { RawData, WebSocket } from 'ws';
import { ClawgymError, errorMessage } from '../errors.js';
import { applyAction, listToolsResult, resetResult, type ActionOptions } from './actions.js';
import { CapacityError, UnknownTaskError, type Environment, type Holder } from './environment.js';
import { EpisodeStateError, type CloseReason, type Episode } from './episode.js';
import type { McpHandler } from './mcp.js';
import { Action, CLOSE, RESET_KEYS, ResetData, validationDetail, WsMessage, type WsErrorCode } from './openenv.js';

export class WsSession implements Holder {
  lastActive = Date.now();
  private busy = 0;
  private episode: Episode | undefined;
  private queue: Promise<void> = Promise.resolve();
  private ended = false;
  private readonly unhold: () => void;

  private constructor(
    private readonly ws: WebSocket,
    private readonly env: Environment,
    private readonly mcp: McpHandler,
    private readonly o: ActionOptions,
  ) {
    this.unhold = env.hold(this);
    ws.on('message', (data) => {
      this.lastActive = Date.now();
      this.busy++;
      this.queue = this.queue.then(() => this.handle(data)).finally(() => {
        this.busy--;
        this.lastActive = Date.now();
      });
    });
    ws.on('close', () => void this.end('disconnected'));
    ws.on('error', () => void this.end('disconnected'));
  }

  /** Take a slot for the connection, or tell the client the server is full and close. */
  static accept(ws: WebSocket, env: Environment, mcp: McpHandler, o: ActionOptions): WsSession | null {
    try {
      env.acquire(1);
    } catch (e) {
      if (!(e instanceof CapacityError)) throw e;
      ws.send(JSON.stringify({ type: 'error', data: { message: e.message, code: 'CAPACITY_REACHED' satisfies WsErrorCode, active_sessions: e.active, max_sessions: e.max } }));
      ws.close(CLOSE.tryLater, 'server at capacity');
      return null;
    }
    return new WsSession(ws, env, mcp, o);
  }

  get idle(): boolean {
    return this.busy === 0;
  }

  /** Idle too long (or the server is stopping): the episode is closed, then the socket. */
  async reap(why: 'idle' | 'shutdown' = 'idle'): Promise<void> {
    if (why === 'shutdown') this.ws.close(CLOSE.shutdown, 'server shutting down');
    else this.ws.close(CLOSE.idle, `idle for more than ${this.env.o.idleTimeoutMs / 1000} s`);
    await this.end(why);
  }

  private send(type: 'observation' | 'state' | 'error' | 'mcp', data: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify({ type, data }));
  }

  private error(code: WsErrorCode, message: string, extra: Record<string, unknown> = {}): void {
    this.send('error', { message, code, ...extra });
  }

  private async handle(data: RawData): Promise<void> {
    if (this.ended) return;
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    } catch (e) {
      return this.error('INVALID_JSON', `Invalid JSON: ${(e as Error).message}`);
    }
    const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
    if (!['reset', 'step', 'state', 'close', 'mcp'].includes(type as string)) return this.error('UNKNOWN_TYPE', `Unknown message type: ${typeof type === 'string' ? type : JSON.stringify(type ?? null)}`);
    const m = WsMessage.safeParse(raw);
    if (!m.success) return this.error('VALIDATION_ERROR', 'Invalid message', { errors: validationDetail(m.error.issues, []) });
    const msg = m.data;
    try {
      switch (msg.type) {
        case 'reset':
          return await this.reset(msg.data);
        case 'step':
          return await this.step(msg.data);
        case 'state':
          return this.send('state', this.episode?.state() ?? { episode_id: null, step_count: 0, task_id: null, done: false, reward: null, seed: null, group_id: null, max_steps: this.env.o.maxSteps, end_reason: null });
        case 'close':
          await this.end('closed');
          this.ws.close(CLOSE.normal, 'closed');
          return;
        case 'mcp': {
          const r = await this.mcp.handleRaw(msg.data, { bound: () => this.episode });
          if (r) this.send('mcp', r);
          return;
        }
      }
    } catch (e) {
      const known = e instanceof UnknownTaskError || e instanceof EpisodeStateError || (e instanceof ClawgymError && e.kind === 'usage');
      this.error(known ? 'VALIDATION_ERROR' : msg.type === 'reset' ? 'FACTORY_ERROR' : 'EXECUTION_ERROR', errorMessage(e));
    }
  }

  private async reset(data: Record<string, unknown>): Promise<void> {
    const r = ResetData.safeParse(data);
    if (!r.success) return this.error('VALIDATION_ERROR', 'Invalid reset data', { errors: validationDetail(r.error.issues, ['data']) });
    // Unknown keys are ignored, as OpenEnv ignores what its reset() does not take; they are named in the metadata.
    const ignored = Object.keys(data).filter((k) => !RESET_KEYS.includes(k));
    if (this.episode) {
      const old = this.episode;
      this.episode = undefined;
      await this.env.end(old, 'closed');
    }
    const ep = await this.env.openEpisode(r.data, { slotHeld: true });
    if (this.ended) {
      await this.env.end(ep, 'disconnected'); // the client went away meanwhile
      return;
    }
    this.episode = ep;
    this.send('observation', resetResult(ep, ignored.length ? { ignored_reset_keys: ignored } : {}));
  }

  private async step(data: Record<string, unknown>): Promise<void> {
    const a = Action.safeParse(data);
    if (!a.success) {
      const t = (data as { type?: unknown }).type;
      if (typeof t !== 'string' || !['call_tool', 'list_tools', 'finish', 'message'].includes(t)) {
        return this.error('VALIDATION_ERROR', `Invalid action: "type" must be one of call_tool, list_tools, finish, message (got ${JSON.stringify(t ?? null)})`);
      }
      return this.error('VALIDATION_ERROR', 'Invalid action', { errors: validationDetail(a.error.issues, ['data']) });
    }
    const ep = this.episode;
    if (a.data.type === 'list_tools') return this.send('observation', listToolsResult(ep));
    if (!ep) return this.error('EXECUTION_ERROR', 'No episode: send {"type": "reset"} first');
    if (ep.done) return this.error('EXECUTION_ERROR', `Episode ${ep.id} has ended (reward ${ep.result?.reward ?? 'none'}): send {"type": "reset"} to start another`);
    this.send('observation', await applyAction(ep, a.data, this.o));
  }

  /** The connection is over: its episode is closed (trajectory kept in its group, if any) and its slot freed. */
  private async end(reason: CloseReason): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.unhold();
    const ep = this.episode;
    this.episode = undefined;
    try {
      if (ep) await this.env.end(ep, reason);
    } finally {
      this.env.release(1);
    }
  }
}
