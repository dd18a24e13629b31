/** Generated ATIF trajectories for the trajectory debugger's tests (unit and end-to-end). */
import { ATIF_VERSION, type AtifStep, type AtifTrajectory } from '../src/core/trace/atif.ts';

const TOOLS = ['read', 'write', 'edit', 'exec'] as const;

/**
 * A trajectory of `steps` steps: a system prompt, the instruction, then agent steps, each one
 * tool call with its observation (every 97th call fails), tokens and cost; the last agent step
 * answers without a call. Deterministic.
 */
export function syntheticTrajectory(steps: number): AtifTrajectory {
  if (steps < 3) throw new Error('at least 3 steps');
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const out: AtifStep[] = [
    { step_id: 1, timestamp: new Date(t0).toISOString(), source: 'system', message: 'You are a Claw-style agent working in /root/.openclaw/workspace.' },
    { step_id: 2, timestamp: new Date(t0 + 1000).toISOString(), source: 'user', message: `Tidy the ${steps - 3} notes in notes/ and summarise them in summary.md.` },
  ];
  for (let id = 3; id <= steps; id++) {
    const k = id - 3;
    const last = id === steps;
    const tool = TOOLS[k % TOOLS.length]!;
    const file = `notes/note-${String(k % 50).padStart(2, '0')}.md`;
    const args: Record<string, unknown> =
      tool === 'exec' ? { command: `wc -l ${file}` } : tool === 'write' ? { path: file, content: `# Note ${k}\n\nrewritten at step ${id}\n` } : tool === 'edit' ? { path: file, oldText: 'draft', newText: 'final' } : { path: file };
    const failed = k % 97 === 96;
    const callId = `call_${id}_0`;
    const step: AtifStep = {
      step_id: id,
      timestamp: new Date(t0 + id * 1500).toISOString(),
      source: 'agent',
      model_name: 'mock-model',
      message: last ? `Done: ${steps - 3} notes tidied.` : k % 5 === 0 ? `Step ${id}: working on ${file}.` : '',
      metrics: { prompt_tokens: 900 + id * 12, completion_tokens: 40 + (k % 17), cost_usd: ((900 + id * 12) * 1 + (40 + (k % 17)) * 2) / 1e6 },
      extra: { finish_reason: last ? 'stop' : 'tool_calls', timing: { step_ms: 120 + (k % 40), llm_ms: 100 + (k % 30) } },
    };
    if (!last) {
      step.tool_calls = [{ tool_call_id: callId, function_name: tool, arguments: args }];
      step.observation = {
        results: [
          failed
            ? { source_call_id: callId, content: `Error: ${tool} failed: ${file}: no such file`, extra: { is_error: true } }
            : { source_call_id: callId, content: tool === 'read' ? `# Note ${k}\n\ndraft text of note ${k}\n` : tool === 'exec' ? `3 ${file}\n` : `Successfully wrote ${file}` },
        ],
      };
    }
    out.push(step);
  }
  return {
    schema_version: ATIF_VERSION,
    session_id: `synthetic-${steps}`,
    agent: { name: 'clawgym-claw', version: '0.1.0', model_name: 'mock-model' },
    steps: out,
    final_metrics: { total_steps: steps },
  };
}
