/** `clawgym proxy`: a recording OpenAI-compatible proxy between any black-box agent and its model. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveEndpoint } from '../../core/llm/config.js';
import { RecordingProxy } from '../../core/llm/proxy/proxy.js';
import { serveUntilInterrupted } from '../interrupt.js';
import { port } from '../options.js';
import { printJson } from '../output.js';

export function registerProxy(program: Command): void {
  program
    .command('proxy')
    .description("A recording OpenAI-compatible proxy: forwards /v1/chat/completions (streaming too) and /v1/models to --upstream, and records each session's conversation as calls.jsonl and, when the session ends, trajectory.json (ATIF).")
    .requiredOption('--upstream <url>', 'the upstream base URL, e.g. https://api.openai.com/v1 or http://localhost:8000/v1')
    .option('--port <n>', 'port to listen on (0: any free port)', port, 8011)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--out <dir>', 'recordings: <out>/<session>/calls.jsonl and trajectory.json', 'recordings')
    .option('--config <file>', 'LLM config file for the upstream key (when clients send none), max_concurrency and prices')
    .option('--json', 'print a JSON line when listening and one per session written at shutdown')
    .action(async (o) => {
      const endpoint = resolveEndpoint({ baseUrl: o.upstream, configPath: o.config ? resolve(o.config) : undefined });
      const out = resolve(o.out);
      const proxy = new RecordingProxy({ upstream: endpoint.baseUrl, apiKey: endpoint.apiKey, out, maxConcurrency: endpoint.maxConcurrency, prices: endpoint.prices });
      const url = await proxy.listen(o.port, o.host);
      if (o.json) printJson({ event: 'listening', url, upstream: endpoint.baseUrl, out });
      else {
        process.stderr.write(`clawgym proxy: ${url} → ${endpoint.baseUrl}\nrecording into ${out}/<session>/ (session: header x-clawgym-session, base URL ${url.replace(/\/v1$/, '')}/s/<session>/v1, or model "<model>@<session>")\n`);
        process.stderr.write(`end a session: curl -X POST ${url.replace(/\/v1$/, '')}/sessions/<session>/end   (Ctrl-C ends them all)\n`);
      }
      await serveUntilInterrupted(async () => {
        for (const e of await proxy.close()) {
          if (o.json) printJson({ event: 'session_end', session: e.id, trajectory: e.trajectory });
          else process.stderr.write(`session ${e.id}: ${e.trajectory ?? 'no model calls, no trajectory'}\n`);
        }
      }, 'stopping the proxy: ending every session (Ctrl-C again to stop now)');
    });
}
