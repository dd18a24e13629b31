/** The Agent interface: something that works in a trial's workspace until it ends or times out. */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Task } from '../task/task.js';
import type { TranscriptWriter } from '../trace/transcript.js';
import type { Owner } from '../workspace/copy.js';
import type { EventLog } from '../trace/events.js';

/** Where an agent writes its part of the trial folder (the run folder contract names them). */
export interface AgentFiles {
  /** ATIF trajectory. */
  trajectory: string;
  /** The agent's model calls (redacted JSON lines). */
  calls: string;
  /** Per-step git snapshots of the workspace. */
  snapshots: string;
  /** What a black-box agent is given (bound read-only into its sandbox). */
  input: string;
  /** OpenClaw's own session, as its `sessions export-trajectory` writes it (a folder). */
  openclawSession: string;
}

export interface AgentContext {
  task: Task;
  sandbox: Sandbox;
  owner?: Owner;
  /** Host folder bound at task.spec.mount. */
  workspace: string;
  /** The trial's working folder (scratch for the agent's own files, e.g. the oracle's solution copy). */
  trialDir: string;
  files: AgentFiles;
  timeoutMs: number;
  events: EventLog;
  transcript: TranscriptWriter;
  signal?: AbortSignal;
}

export interface AgentOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** LLM agents: why the run ended (model_stopped, max_steps, max_tokens, timeout, error…). */
  endReason?: string;
  /** The kernel's OOM killer killed one of its processes (known where a memory cgroup limits the sandbox). */
  oomKilled?: boolean;
  /** The agent program's own version (e.g. OpenClaw's), kept in the result line. */
  version?: string;
}

export interface Agent {
  readonly name: string;
  run(ctx: AgentContext): Promise<AgentOutcome>;
}
