/** Builds an agent from its spec (agents/spec.ts): the only place that maps names to agents. */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Agent } from './agent.js';
import { clawAgent } from './claw/claw.js';
import { commandAgent } from './command.js';
import { nopAgent } from './nop.js';
import { OPENCLAW_NODE_VERSION, OPENCLAW_VERSION } from './openclaw/install.js';
import { openclawAgent } from './openclaw/openclaw.js';
import { oracleAgent } from './oracle.js';
import { replayAgent } from './replay.js';
import { checkAgentSpec, type AgentSpec } from './spec.js';

export { AGENT_NAMES, type AgentSpec } from './spec.js';

export function createAgent(specIn: AgentSpec): Agent {
  const spec = checkAgentSpec(specIn);
  switch (spec.name) {
    case 'nop':
      return nopAgent;
    case 'oracle':
      return oracleAgent;
    case 'command':
      return commandAgent(spec.command ?? '', spec.instruction_via, spec.record ? { baseUrl: spec.base_url, configPath: spec.config } : undefined);
    case 'claw':
      return clawAgent({ model: spec.model, baseUrl: spec.base_url, configPath: spec.config, maxSteps: spec.max_steps, maxTokens: spec.max_tokens, stream: spec.stream, toolProfile: spec.tools });
    case 'openclaw':
      return openclawAgent({ model: spec.model, baseUrl: spec.base_url, configPath: spec.config, mode: spec.openclaw_mode, version: spec.openclaw_version, extraConfig: spec.openclaw_config });
    case 'replay':
      if (!spec.trajectory) throw new UsageError('--agent replay needs --trajectory <trajectory.json>');
      return replayAgent(resolve(spec.trajectory));
    default:
      throw new UsageError(`unknown agent "${spec.name}"`);
  }
}

/** Versions of the agent program itself, for run.json's `versions` (OpenClaw and its Node). */
export function agentVersions(spec: AgentSpec): Record<string, string> {
  if (spec.name === 'openclaw') return { openclaw: spec.openclaw_version ?? OPENCLAW_VERSION, openclaw_node: OPENCLAW_NODE_VERSION };
  return {};
}
