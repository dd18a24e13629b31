import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultLine, RunManifest } from '../../src/core/runs/records.js';
import { buildReport, formatReportText, Report } from '../../src/core/runs/report.js';
import { escapeHtml, renderReportHtml } from '../../src/core/runs/report-html.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');

function manifest(tasks: [string, string | null][], attempts: number, over: Partial<RunManifest> = {}): RunManifest {
  return {
    schema_version: 1,
    run_id: 'run-1',
    created_at: '2025-01-01T00:00:00.000Z',
    paths: ['tasks'],
    include: [],
    exclude: [],
    tasks: tasks.map(([id, category]) => ({ id, source: `tasks/${id}`, format: 'native', category })),
    agent: { name: 'nop' },
    attempts,
    concurrency: 2,
    timeout_multiplier: 1,
    sandbox: 'none',
    harness_retries: 2,
    versions: {},
    ...over,
  };
}

/** A finished trial; `at` is seconds after T0 when it finished. */
function line(task_id: string, attempt: number, reward: number, o: Partial<ResultLine> & { at?: number } = {}): ResultLine {
  const { at = attempt * 10, ...rest } = o;
  const error = rest.error ?? null;
  return {
    task_id,
    attempt,
    reward,
    passed: error === null && reward >= 0.8,
    error,
    error_kind: null,
    category: null,
    agent: 'nop',
    agent_exit: { code: 0, signal: null, timed_out: false },
    code_score: reward,
    rubric_score: null,
    timings: { setup_ms: 1000, agent_ms: 4000, verify_ms: 500, total_ms: 5500 },
    harness_retries: 0,
    trial_dir: `trials/${task_id}/${attempt}`,
    finished_at: new Date(T0 + at * 1000).toISOString(),
    ...rest,
  };
}

/** a, b in "x"; c uncategorized; d in "y" never ran; z ran but is not in the manifest. */
function fixture(): { m: RunManifest; rs: ResultLine[] } {
  const m = manifest([['a', 'x'], ['b', 'x'], ['c', null], ['d', 'y']], 3);
  const rs = [
    line('a', 1, 1, { category: 'x' }),
    line('a', 2, 0.5, { category: 'x' }),
    line('a', 3, 1, { category: 'x' }),
    line('b', 1, 0, { category: 'x', error: 'check.py crashed', error_kind: 'verifier' }),
    line('b', 2, 0, {
      category: 'x',
      error: 'sandbox failed',
      error_kind: 'harness',
      harness_retries: 2,
      agent_exit: null,
      timings: { setup_ms: 0, agent_ms: 0, verify_ms: 0, total_ms: 0 },
    }),
    line('c', 1, 0),
    line('c', 2, 0, { error: 'only a rubric', error_kind: 'not_judged' }),
    line('c', 3, 0.8),
    line('z', 1, 1, { at: 100 }),
    // b#1 was re-run: this later line supersedes the verifier error above.
    line('b', 1, 1, { category: 'x', at: 50 }),
  ];
  return { m, rs };
}

test('counts: finished, passed, failed, errors by kind, missing trials, tasks not run', () => {
  const { m, rs } = fixture();
  const r = buildReport(m, rs);
  assert.doesNotThrow(() => Report.parse(r));
  assert.deepEqual(r.counts, {
    tasks: 4,
    trials_expected: 12,
    trials_finished: 9,
    trials_missing: 4, // b#3 and d#1..3
    passed: 5,
    failed: 2,
    errored: 2,
    errors_by_kind: { task: 0, verifier: 0, harness: 1, usage: 0, not_judged: 1, judge: 0, unknown: 0 },
    harness_retries: 2,
    tasks_not_run: 1,
  });
  assert.deepEqual(r.tasks_not_run, ['d']);
  assert.equal(r.pass_rate, 5 / 9);
  assert.ok(Math.abs(r.mean_reward! - 5.3 / 9) < 1e-12);
  assert.equal(r.run_id, 'run-1');
  assert.equal(r.agent, 'nop');
});

test('the last line wins for a repeated (task, attempt)', () => {
  const { m, rs } = fixture();
  const b = buildReport(m, rs).tasks.find((t) => t.id === 'b')!;
  assert.deepEqual(b, { id: 'b', category: 'x', attempts: 2, passes: 1, errors: 1, pass_rate: 0.5, mean_reward: 0.5 });
});

test('pass@k and pass^k average over tasks with at least k trials', () => {
  const { m, rs } = fixture();
  const r = buildReport(m, rs);
  const near = (a: number | null, b: number): boolean => a !== null && Math.abs(a - b) < 1e-12;
  assert.deepEqual(r.at_k.map((x) => [x.k, x.tasks]), [[1, 4], [2, 3], [3, 2]]);
  // a: 3 trials 2 passes, b: 2/1, c: 3/1, z: 1/1
  assert.ok(near(r.at_k[0]!.pass_at_k, (2 / 3 + 1 / 2 + 1 / 3 + 1) / 4));
  assert.ok(near(r.at_k[0]!.pass_hat_k, r.at_k[0]!.pass_at_k!));
  assert.ok(near(r.at_k[1]!.pass_at_k, (1 + 1 + 2 / 3) / 3));
  assert.ok(near(r.at_k[1]!.pass_hat_k, (1 / 3 + 0 + 0) / 3));
  assert.ok(near(r.at_k[2]!.pass_at_k, 1));
  assert.ok(near(r.at_k[2]!.pass_hat_k, 0));
});

test('per category, sorted by name, null category is "uncategorized"', () => {
  const { m, rs } = fixture();
  const cats = buildReport(m, rs).categories;
  assert.deepEqual(cats.map((c) => c.name), ['uncategorized', 'x', 'y']);
  const [u, x, y] = cats;
  assert.deepEqual([u!.tasks, u!.trials, u!.passed, u!.pass_rate], [2, 4, 2, 0.5]); // c and z
  assert.ok(Math.abs(u!.mean_reward! - 0.45) < 1e-12);
  assert.deepEqual([x!.tasks, x!.trials, x!.passed, x!.pass_rate], [2, 5, 3, 0.6]);
  assert.ok(Math.abs(x!.mean_reward! - 0.7) < 1e-12);
  assert.deepEqual(y, { name: 'y', tasks: 1, trials: 0, passed: 0, pass_rate: null, mean_reward: null });
});

test('reward histogram has 10 bins over [0,1] with 1.0 in the last', () => {
  const { m, rs } = fixture();
  const h = buildReport(m, rs).histogram;
  assert.equal(h.length, 10);
  assert.deepEqual(h.map((b) => b.count), [3, 0, 0, 0, 0, 1, 0, 0, 1, 4]);
  assert.deepEqual([h[0]!.lo, h[9]!.hi], [0, 1]);
});

test('timings skip trials that never ran the agent; wall time spans first start to last finish', () => {
  const { m, rs } = fixture();
  const t = buildReport(m, rs).timings;
  assert.equal(t.trials, 8);
  assert.deepEqual(t.agent_ms, { mean: 4000, p50: 4000, p90: 4000, p99: 4000 });
  // earliest start: a#1 finished at +10 s after 5.5 s; latest finish: z at +100 s
  assert.equal(t.wall_ms, 100_000 - 10_000 + 5_500);
});

test('tasks sorted by id, errors sorted with their messages', () => {
  const { m, rs } = fixture();
  const r = buildReport(m, rs);
  assert.deepEqual(r.tasks.map((t) => t.id), ['a', 'b', 'c', 'd', 'z']);
  assert.deepEqual(r.tasks.find((t) => t.id === 'd'), { id: 'd', category: 'y', attempts: 0, passes: 0, errors: 0, pass_rate: null, mean_reward: null });
  assert.deepEqual(
    r.errors.map((e) => [e.task_id, e.attempt, e.kind, e.message, e.trial_dir]),
    [
      ['b', 2, 'harness', 'sandbox failed', 'trials/b/2'],
      ['c', 2, 'not_judged', 'only a rubric', 'trials/c/2'],
    ],
  );
});

test('deterministic: input order of distinct lines does not matter', () => {
  const { m, rs } = fixture();
  const distinct = rs.filter((r, i) => !(r.task_id === 'b' && r.attempt === 1 && i < 5));
  assert.equal(JSON.stringify(buildReport(m, distinct)), JSON.stringify(buildReport(m, [...distinct].reverse())));
});

test('an empty run reports nulls, not NaN', () => {
  const r = buildReport(manifest([['a', null]], 2), []);
  assert.doesNotThrow(() => Report.parse(r));
  assert.equal(r.pass_rate, null);
  assert.equal(r.mean_reward, null);
  assert.deepEqual(r.at_k, [
    { k: 1, tasks: 0, pass_at_k: null, pass_hat_k: null },
    { k: 2, tasks: 0, pass_at_k: null, pass_hat_k: null },
  ]);
  assert.equal(r.timings.wall_ms, null);
  assert.equal(r.counts.trials_missing, 2);
  assert.ok(formatReportText(r, { color: false }).includes('Pass rate    —'));
  assert.ok(renderReportHtml(r).includes('<svg'));
});

test('text summary: plain without color, aligned columns, errors grouped and capped', () => {
  const m = manifest([['alpha', 'long-category-name'], ['b', 'x']], 1);
  const rs = [line('alpha', 1, 1), line('b', 1, 0)];
  for (let i = 0; i < 12; i++) {
    m.tasks.push({ id: `e${String(i).padStart(2, '0')}`, source: '', format: 'native', category: 'x' });
    rs.push(line(`e${String(i).padStart(2, '0')}`, 1, 0, { error: `boom ${i}\x1b[31m\nsecond line`, error_kind: 'verifier' }));
  }
  const r = buildReport(m, rs);
  const text = formatReportText(r, { color: false });
  assert.ok(!text.includes('\x1b'), 'no escape codes without color, even from error messages');
  assert.match(text, /Pass rate +7\.1%/);
  assert.match(text, /verifier \(12\)/);
  assert.match(text, /boom 0 \[31m \(\+1 more line\)/);
  assert.ok(text.includes('boom 9'));
  assert.ok(!text.includes('boom 10'));
  assert.match(text, /… and 2 more/);
  // The category table's rows (header included) are padded to one width.
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes('category') && l.includes('mean reward'));
  const rows = lines.slice(start, start + 1 + r.categories.length);
  assert.equal(new Set(rows.map((l) => l.length)).size, 1, rows.join('\n'));
  // Right-aligned numbers end in the same column.
  assert.ok(rows.every((l) => l.endsWith('reward') || /\d$/.test(l)));
  assert.ok(formatReportText(r, { color: true }).includes('\x1b['));
});

const EVIL = `<img src=x onerror=alert(1)>"'&`;

test('HTML escapes every untrusted string', () => {
  const m = manifest([[EVIL, EVIL], ['ok', null]], 2, { run_id: `run ${EVIL}`, created_at: EVIL, agent: { name: `agent ${EVIL}` } });
  const rs = [
    line(EVIL, 1, 1, { category: EVIL, trial_dir: `trials/${EVIL}` }),
    line(EVIL, 2, 0, { category: EVIL, error: `verifier said ${EVIL}\n</pre><script>alert(2)</script>`, error_kind: 'verifier' }),
    line('ok', 1, 0.5),
  ];
  const page = renderReportHtml(buildReport(m, rs));
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
  assert.ok(!page.includes('<img src=x'));
  assert.ok(!page.includes('<script'));
  assert.ok(!page.includes(`>"'&`), 'no raw quotes from the payload');
  assert.ok(!/<img\b/i.test(page));
  assert.ok(page.includes('&lt;/pre&gt;&lt;script&gt;'));
  assert.equal(escapeHtml(`a<b>"c"'d'&e`), 'a&lt;b&gt;&quot;c&quot;&#39;d&#39;&amp;e');
});

test('HTML is self-contained: strict CSP, no network references, inline SVG charts', () => {
  const { m, rs } = fixture();
  const page = renderReportHtml(buildReport(m, rs));
  assert.ok(page.startsWith('<!DOCTYPE html>'));
  assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`));
  assert.ok(!page.includes('http://') && !page.includes('https://'));
  assert.ok(!/<(script|link|iframe|object)\b/i.test(page));
  assert.ok(!/\ssrc=/i.test(page));
  assert.equal(page.match(/<svg\b/g)?.length, 4);
  assert.equal(page.match(/<svg\b[^>]*role="img"/g)?.length, 4);
  assert.ok((page.match(/<title id=/g)?.length ?? 0) >= 4, 'every chart has a title');
  assert.ok(page.includes('<th scope="col">'));
  assert.ok(page.includes('prefers-color-scheme: dark'));
  assert.ok(!/NaN|Infinity|undefined/.test(page));
  assert.equal(page, renderReportHtml(buildReport(m, rs)), 'same report, same bytes');
});
