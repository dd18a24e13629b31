/**
 * A crashed agent is flagged, never hidden behind its reward: `agentCrash` decides it once from
 * how the process ended, and results, the terminal report, report.html and the Verification view
 * all show it while the reward stays the verifier's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentCrash, type ResultLine, type RunManifest } from '../../src/core/runs/records.ts';
import { buildReport, formatReportText } from '../../src/core/runs/report.ts';
import { renderReportHtml } from '../../src/core/runs/report-html.ts';
import { verificationState } from '../../src/extension/model/verification.ts';
import { VerificationState } from '../../src/protocol/verification.ts';

test('agentCrash: non-zero exits and signals are crashes (with a hint for out-of-memory deaths); clean ends and timeouts are not', () => {
  assert.equal(agentCrash(null), null);
  assert.equal(agentCrash({ code: 0, signal: null, timed_out: false }), null);
  assert.equal(agentCrash({ code: null, signal: 'SIGKILL', timed_out: true }), null);
  assert.equal(agentCrash({ code: 1, signal: null, timed_out: false }), 'exit 1');
  assert.equal(agentCrash({ code: 133, signal: null, timed_out: false }), 'exit 133 (SIGTRAP — how V8 (Node) dies when out of memory)');
  assert.equal(agentCrash({ code: 137, signal: null, timed_out: false }), 'exit 137 (SIGKILL — the out-of-memory killer sends it)');
  assert.equal(agentCrash({ code: null, signal: 'SIGSEGV', timed_out: false }), 'killed by SIGSEGV');
});

const manifest: RunManifest = {
  schema_version: 1,
  run_id: 'run-crash',
  created_at: '2026-12-07T00:00:00.000Z',
  paths: ['t'],
  include: [],
  exclude: [],
  tasks: [{ id: 'oom', source: 't/oom', format: 'native', category: null }],
  agent: { name: 'command', command: 'openclaw' },
  attempts: 2,
  concurrency: 1,
  timeout_multiplier: 1,
  sandbox: 'bwrap',
  harness_retries: 0,
  versions: {},
};
const line = (attempt: number, code: number): ResultLine => {
  const exit = { code, signal: null, timed_out: false };
  return {
    task_id: 'oom',
    attempt,
    reward: 1,
    passed: true,
    error: null,
    error_kind: null,
    category: null,
    agent: 'command',
    agent_exit: exit,
    agent_crash: agentCrash(exit),
    code_score: 1,
    rubric_score: null,
    timings: { setup_ms: 1, agent_ms: 1, verify_ms: 1, total_ms: 3 },
    harness_retries: 0,
    trial_dir: `trials/oom/${attempt}`,
    finished_at: '2026-12-07T00:00:01.000Z',
  };
};

test('the report lists crashed trials with their reward untouched; terminal and HTML show them', () => {
  const r = buildReport(manifest, [line(1, 133), line(2, 0)]);
  assert.equal(r.mean_reward, 1);
  assert.equal(r.counts.passed, 2);
  assert.deepEqual(r.crashed, [{ task_id: 'oom', attempt: 1, reward: 1, crash: 'exit 133 (SIGTRAP — how V8 (Node) dies when out of memory)', trial_dir: 'trials/oom/1' }]);
  const text = formatReportText(r, { color: false });
  assert.match(text, /1 agent crash\b/);
  assert.match(text, /Agent crashed \(1\)/);
  assert.match(text, /oom #1 {2}reward 1\.000 {2}exit 133/);
  const html = renderReportHtml(r);
  assert.match(html, /Agent crashed \(1\)/);
  assert.match(html, /exit 133 \(SIGTRAP/);
  // A clean run says nothing about crashes.
  const clean = buildReport(manifest, [line(1, 0), line(2, 0)]);
  assert.deepEqual(clean.crashed, []);
  assert.doesNotMatch(formatReportText(clean, { color: false }), /agent crash/i);
  assert.doesNotMatch(renderReportHtml(clean), /Agent crashed/);
});

test('the Verification view flags the crash beside the verifier score', () => {
  const verify = {
    task_id: 'oom',
    reward: 1,
    passed: true,
    pass_threshold: 1,
    code: { score: 1, checks: [] },
    rubric: { status: 'absent' as const, score: null, message: 'no rubric' },
    weights_applied: { code: 1, rubric: 0 },
    error: null,
    error_kind: null,
    duration_ms: 5,
    verified_at: '2026-12-07T00:00:02.000Z',
  };
  const s = verificationState(verify, { kind: 'trial', runId: 'run-crash', trialDir: '/r/trials/oom/1', agent: 'command', attempt: 1 }, line(1, 133));
  VerificationState.parse(s);
  assert.equal(s.score, '1.00');
  assert.equal(s.status, 'passed');
  assert.match(s.agentCrash ?? '', /^exit 133/);
  assert.equal(verificationState(verify, { kind: 'folder', folder: '/w' }).agentCrash, null);
});
