import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Agent } from './agent.js';
import { clawAgent } from './claw/claw.js';
import { commandAgent, type InstructionVia } from './command.js';
import { nopAgent } from './nop.js';
import { oracleAgent } from './oracle.js';
import { replayAgent } from './replay.js';

export const AGENT_NAMES = ['nop', 'oracle', 'command', 'claw', 'replay'] as const;

/** An agent as asked for on the command line and recorded in run.json (so resume can rebuild it). */
export interface AgentSpec {
  name: string;
  command?: string;
  instruction_via?: InstructionVia;
  model?: string;
  base_url?: string;
  /** Config file path (base URL, key, model, prices). */
  config?: string;
  max_steps?: number;
  max_tokens?: number;
  stream?: boolean;
  /** replay: the trajectory.json to re-execute. */
  trajectory?: string;
  /** command: record its model calls through a proxy (upstream from base_url / config). */
  record?: boolean;
}

export function createAgent(spec: AgentSpec): Agent {
  if (spec.record && spec.name !== 'command') throw new UsageError(`--record needs --agent command (${spec.name === 'claw' ? 'claw records its model calls itself' : `${spec.name} makes no model calls`})`);
  switch (spec.name) {
    case 'nop':
      return nopAgent;
    case 'oracle':
      return oracleAgent;
    case 'command':
      return commandAgent(spec.command ?? '', spec.instruction_via, spec.record ? { baseUrl: spec.base_url, configPath: spec.config } : undefined);
    case 'claw':
      return clawAgent({ model: spec.model, baseUrl: spec.base_url, configPath: spec.config, maxSteps: spec.max_steps, maxTokens: spec.max_tokens, stream: spec.stream });
    case 'replay':
      if (!spec.trajectory) throw new UsageError('--agent replay needs --trajectory <trajectory.json>');
      return replayAgent(resolve(spec.trajectory));
    default:
      throw new UsageError(`unknown agent "${spec.name}" (known: ${AGENT_NAMES.join(', ')})`);
  }
}
