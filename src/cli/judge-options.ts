/** The LLM judge's flags (run and verify share them) and the JudgeSpec they make. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { JudgeSpec } from '../core/verify/judge-spec.js';

export function addJudgeOptions(cmd: Command): Command {
  return cmd
    .option('--judge-model <name>', "score task rubrics with this LLM judge (separate from the agent's model); key from CLAWGYM_JUDGE_API_KEY, OPENAI_API_KEY or the config file")
    .option('--judge-base-url <url>', "the judge's OpenAI-compatible base URL (else OPENAI_BASE_URL, the config file, or OpenAI)")
    .option('--no-judge-transcript', 'do not show the judge a transcript summary');
}

/** A spec only when a judge model is given. */
export function judgeSpec(o: { judgeModel?: string; judgeBaseUrl?: string; config?: string; judgeTranscript?: boolean }): JudgeSpec | undefined {
  if (!o.judgeModel) {
    if (o.judgeBaseUrl) throw new UsageError('--judge-base-url needs --judge-model <name>');
    return undefined;
  }
  return {
    model: o.judgeModel,
    ...(o.judgeBaseUrl ? { base_url: o.judgeBaseUrl } : {}),
    ...(o.config ? { config: resolve(o.config) } : {}),
    ...(o.judgeTranscript === false ? { transcript: false } : {}),
  };
}
