/** The Agent interface: something that works in a trial's workspace until it ends or times out. */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Task } from '../task/task.js';
import type { TranscriptWriter } from '../trace/transcript.js';
import type { Owner } from '../workspace/copy.js';
import type { EventLog } from '../trace/events.js';

export interface AgentContext {
  task: Task;
  sandbox: Sandbox;
  owner?: Owner;
  /** Host folder bound at task.spec.mount. */
  workspace: string;
  trialDir: string;
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
}

export interface Agent {
  readonly name: string;
  run(ctx: AgentContext): Promise<AgentOutcome>;
}
