/**
 * `--record` for the command agent: a recording proxy per trial between the black-box agent and
 * its model, so the trial keeps the agent's model-level conversation as llm/calls.jsonl and
 * trajectory.json. The agent gets OPENAI_BASE_URL (with the trial's session in its path) and a
 * placeholder key; the real key stays with the proxy, outside the sandbox.
 *
 * In a bwrap sandbox there is no network, so the proxy listens on a unix socket bound into the
 * sandbox and a forwarder there serves the agent's loopback port; with `--sandbox none` the agent
 * reaches the proxy's TCP port directly.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoint } from '../llm/config.js';
import { FORWARDER_PORT, FORWARDER_PY } from '../llm/proxy/forwarder.js';
import { RecordingProxy } from '../llm/proxy/proxy.js';
import type { Bind } from '../sandbox/sandbox.js';
import type { AgentContext } from './agent.js';
import { checkRecordUpstream } from './spec.js';
import { shellQuote } from '../shell.js';
import { addTrajectoryTurns } from '../trace/transcript.js';

export interface RecordSettings {
  /** Upstream base URL (else OPENAI_BASE_URL, the config file, or OpenAI). */
  baseUrl?: string;
  configPath?: string;
}

/** What the agent sees instead of a key: SDKs refuse to start without one. */
export const PLACEHOLDER_KEY = 'clawgym-recording-proxy';
const BRIDGE_DIR = '/clawgym-proxy';

export interface TrialRecording {
  session: string;
  env: Record<string, string>;
  binds: Bind[];
  /** The agent's shell line, run behind the forwarder when the sandbox needs one. */
  wrap(line: string): string;
  /**
   * End the session (trajectory.json is written), add its turns — tool calls and results — to the
   * trial's transcript, and stop the proxy. `turns`: the assistant turns the transcript got.
   */
  finish(): Promise<{ trajectory: string | null; calls: number; turns: number }>;
}

export function sessionIdFor(taskId: string): string {
  const safe = taskId.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100) || 'trial';
  return `${safe}-${randomBytes(4).toString('hex')}`;
}

/** Check the settings early (a bad config file, or no key for a hosted upstream, fails the run before any trial). */
export function recordEndpoint(s: RecordSettings) {
  const e = resolveEndpoint({ baseUrl: s.baseUrl, configPath: s.configPath });
  checkRecordUpstream(e.baseUrl, !!e.apiKey);
  return e;
}

export async function startTrialRecording(ctx: AgentContext, s: RecordSettings): Promise<TrialRecording> {
  const endpoint = recordEndpoint(s);
  const session = sessionIdFor(ctx.task.spec.id);
  const proxy = new RecordingProxy({
    upstream: endpoint.baseUrl,
    apiKey: endpoint.apiKey,
    forceKey: true,
    out: null,
    maxConcurrency: endpoint.maxConcurrency,
    prices: endpoint.prices,
    extra: { task_id: ctx.task.spec.id },
  });
  const recording = proxy.openSession(session, { calls: ctx.files.calls, trajectory: ctx.files.trajectory });
  let bridge: string | null = null;
  let base: string;
  let binds: Bind[] = [];
  let wrap = (line: string) => line;
  try {
    if (ctx.sandbox.mode === 'bwrap') {
      bridge = await mkdtemp(join(tmpdir(), 'clawgym-proxy-'));
      // The sandbox may run as another uid: it must traverse the folder and connect to the socket.
      await chmod(bridge, 0o755);
      // Explicit chmods: writeFile's and listen's modes are cut by the umask (CI runners use 077).
      await writeFile(join(bridge, 'forward.py'), FORWARDER_PY);
      await chmod(join(bridge, 'forward.py'), 0o644);
      await proxy.listenUnix(join(bridge, 'proxy.sock'));
      await chmod(join(bridge, 'proxy.sock'), 0o666);
      binds = [{ host: bridge, dest: BRIDGE_DIR, readOnly: true }];
      base = `http://127.0.0.1:${FORWARDER_PORT}/s/${session}/v1`;
      wrap = (line) => `exec python3 ${BRIDGE_DIR}/forward.py ${FORWARDER_PORT} ${BRIDGE_DIR}/proxy.sock bash -c ${shellQuote(line)}`;
    } else {
      base = `${(await proxy.listen(0)).replace(/\/v1$/, '')}/s/${session}/v1`;
    }
  } catch (e) {
    await proxy.close();
    if (bridge) await rm(bridge, { recursive: true, force: true });
    throw e;
  }
  ctx.events.emit({ type: 'agent_output', stream: 'stderr', text: `clawgym: recording the agent's model calls (session ${session}, upstream ${endpoint.baseUrl})\n` });
  return {
    session,
    env: { OPENAI_BASE_URL: base, OPENAI_API_BASE: base, OPENAI_API_KEY: PLACEHOLDER_KEY, CLAWGYM_SESSION: session },
    binds,
    wrap,
    async finish() {
      const r = proxy.endSession(session) ?? { trajectory: null, calls: 0 };
      await proxy.close();
      if (bridge) await rm(bridge, { recursive: true, force: true });
      const turns = recording.trajectory ? addTrajectoryTurns(ctx.transcript, recording.trajectory) : 0;
      return { ...r, turns };
    },
  };
}
