/**
 * `clawgym bench build|check|calibrate` on a synthesized procedural pool with planted tasks: a
 * build is reproducible to the byte, quotas and size are honoured, --require drops what real nop
 * and oracle runs (made by the build, or given with --runs) and the review block say to drop;
 * `bench check` names every edited, deleted and added task; calibration from real reference runs
 * gives solve rates, bands, discrimination and balance, in text, JSON and a CSP-locked HTML page.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, runCli, tempDir, writeTask } from '../helpers.ts';
import { writeReview } from '../../src/core/task/review.ts';

let work = '';
let pool = '';
const HOSTILE = 'Q&A <script>alert(1)</script>';
/** Families present since the procedural framework's first release: the pool does not change as families are added. */
const FAMILIES = 'expense-rollup,meeting-action-items,blog-index,calendar-conflicts,contact-dedupe,inbox-triage,kanban-overdue,sales-pivot,timesheet-hours,crontab-schedule-report,nginx-access-report,env-config-merge,reading-plan,recipe-scaler,survey-nps,glossary-consistency,gradebook-weighted,systemd-hardening';

type Json = Record<string, any>;

async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; json: Json }> {
  const r = await runCli(args);
  let json: Json = {};
  try {
    json = JSON.parse(r.stdout);
  } catch {
    /* a text answer */
  }
  return { ...r, json };
}

const manifestOf = (dir: string): Json => parse(readFileSync(join(dir, 'bench.yaml'), 'utf8'));
const ids = (m: Json): string[] => m.tasks.map((t: Json) => t.id);

/** A task an agent solves by writing 42 to answer.txt (the command agent below does exactly that). */
function answerTask(id: string, category: string): void {
  writeTask(pool, { id, category, verify: { checks: [{ id: 'answer', type: 'text_equals', path: 'answer.txt', text: '42' }] } }, { 'workspace/q.txt': 'six times seven?\n', 'solution/solve.sh': 'echo 42 > answer.txt\n' });
}

before(async () => {
  work = tempDir('clawgym-bench-');
  pool = join(work, 'pool');
  const r = await runCli(['synth', '--route', 'procedural', '--n', '60', '--seed', '3', '--families', FAMILIES, '--out', pool, '--no-progress']);
  assert.equal(r.code, 0, r.stderr);
  // nop already scores: a check holds on the untouched workspace.
  writeTask(pool, { id: 'planted-nop-scores', category: 'Analysis & Reasoning', verify: { checks: [{ id: 'in', type: 'file_exists', path: 'in.txt' }, { id: 'out', type: 'file_exists', path: 'out.txt' }] } }, { 'workspace/in.txt': 'x\n', 'solution/solve.sh': 'touch out.txt\n' });
  // The oracle fails.
  writeTask(pool, { id: 'planted-oracle-fails', category: 'Analysis & Reasoning', verify: { checks: [{ id: 'answer', type: 'text_equals', path: 'answer.txt', text: '42' }] } }, { 'workspace/q.txt': 'six times seven?\n', 'solution/solve.sh': 'echo 41 > answer.txt\n' });
  answerTask('answer-1', 'Analysis & Reasoning');
  answerTask('answer-2', 'Analysis & Reasoning');
  answerTask('answer-3', HOSTILE);
});

test('a build is reproducible (same bytes), honours quotas and size, and drops what real nop/oracle runs reject', async () => {
  const args = ['--from', pool, '--size', '20', '--quota', 'Productivity & Collaboration=3', '--quota', '*=5', '--seed', '7', '-c', '2'];
  const a = join(work, 'bench-a');
  const b = join(work, 'bench-b');
  const ra = await cli(['bench', 'build', ...args, '--out', a, '--json']);
  assert.equal(ra.code, 0, ra.stderr);
  const rb = await cli(['bench', 'build', ...args, '--out', b]);
  assert.equal(rb.code, 0, rb.stderr);
  assert.equal(readFileSync(join(a, 'bench.yaml'), 'utf8'), readFileSync(join(b, 'bench.yaml'), 'utf8'), 'same inputs, same manifest bytes');
  const m = manifestOf(a);
  assert.deepEqual(ra.json.manifest, m);
  assert.equal(m.tasks.length, 20);
  const byCat: Record<string, number> = {};
  for (const t of m.tasks) byCat[t.category] = (byCat[t.category] ?? 0) + 1;
  assert.deepEqual(m.counts.by_category, Object.fromEntries(Object.entries(byCat).sort((x, y) => (x[0] < y[0] ? -1 : 1))));
  assert.equal(byCat['Productivity & Collaboration'], 3, 'capped at 3');
  for (const [cat, n] of Object.entries(byCat)) assert.ok(n <= (cat === 'Productivity & Collaboration' ? 3 : 5), `${cat}: ${n}`);
  // Round-robin across categories: six categories, 20 tasks, one capped at 3 → the rest get 3 or 4.
  assert.equal(Object.keys(byCat).length, 6);
  for (const [cat, n] of Object.entries(byCat)) if (cat !== 'Productivity & Collaboration' && cat !== HOSTILE) assert.ok(n >= 3, `${cat}: ${n}`);
  assert.equal(byCat[HOSTILE], 1, 'the only task of its category is drawn');
  for (const planted of ['planted-nop-scores', 'planted-oracle-fails']) assert.ok(!ids(m).includes(planted));
  const dropped = Object.fromEntries(ra.json.report.dropped.filter((d: Json) => d.step !== 'select').map((d: Json) => [d.id, d]));
  assert.equal(dropped['planted-nop-scores'].step, 'nop-zero');
  assert.match(dropped['planted-nop-scores'].reason, /nop scores 0\.5000/);
  assert.equal(dropped['planted-oracle-fails'].step, 'oracle-pass');
  assert.match(dropped['planted-oracle-fails'].reason, /oracle scores 0\.0000/);
  assert.equal(m.counts.pool, 65);
  assert.equal(m.counts.candidates, 63);
  assert.deepEqual(m.inputs.require, ['nop-zero', 'oracle-pass']);
  assert.deepEqual(m.inputs.quotas, { 'Productivity & Collaboration': 3, '*': 5 });
  // Every task is copied, under its manifest path, with the hash bench check recomputes.
  for (const t of m.tasks) assert.ok(existsSync(join(a, t.path, 'task.yaml')), t.path);
  assert.match(m.tasks[0].hash, /^sha256:[0-9a-f]{64}$/);
  const check = await cli(['bench', 'check', a, '--json']);
  assert.equal(check.code, 0, check.stdout);
  assert.equal(check.json.unchanged, 20);
  // Rebuilding onto the bench gives the same bytes; the finished nop run is made again, not reused
  // (the pool may have been edited since).
  // (A run's id is its folder's name, so when it was made tells the runs apart.)
  const nopRun = () => JSON.parse(readFileSync(join(a, '.bench', 'runs', 'nop', 'run.json'), 'utf8')) as { run_id: string; created_at: string };
  const before = nopRun();
  assert.equal(before.run_id, 'nop');
  assert.equal((await cli(['bench', 'build', ...args, '--out', a])).code, 0);
  assert.equal(readFileSync(join(a, 'bench.yaml'), 'utf8'), readFileSync(join(b, 'bench.yaml'), 'utf8'));
  assert.notEqual(nopRun().created_at, before.created_at);
  // The seed decides the draw.
  const c = join(work, 'bench-c');
  assert.equal((await cli(['bench', 'build', ...args.slice(0, -4), '--seed', '8', '-c', '2', '--out', c])).code, 0);
  assert.notDeepEqual(ids(manifestOf(c)), ids(m));
  // Asking for more than there is: every candidate, and a warning.
  const all = await cli(['bench', 'build', '--from', pool, '--size', '500', '--out', join(work, 'bench-all'), '-c', '2']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stderr, /asked for 500 task\(s\), only 63 meet the requirements and quotas/);
});

test('--runs: existing nop and oracle runs are used instead of new ones, with the same outcome', async () => {
  const nop = join(work, 'runs', 'nop');
  const oracle = join(work, 'runs', 'oracle');
  assert.equal((await runCli(['run', pool, '--agent', 'nop', '--out', nop, '-c', '2', '--no-progress'])).code, 0);
  assert.equal((await runCli(['run', pool, '--agent', 'oracle', '--out', oracle, '-c', '2', '--no-progress'])).code, 0);
  const given = join(work, 'bench-given');
  const r = await cli(['bench', 'build', '--from', pool, '--size', '20', '--quota', 'Productivity & Collaboration=3', '--quota', '*=5', '--seed', '7', '--runs', nop, oracle, '--out', given, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(join(given, '.bench', 'runs')), 'no run made');
  assert.deepEqual(r.json.report.ran, {});
  const m = manifestOf(given);
  assert.deepEqual(ids(m), ids(manifestOf(join(work, 'bench-a'))));
  assert.deepEqual(m.inputs.runs.map((x: Json) => x.agent), ['nop', 'oracle']);
  // A reference agent's run is not evidence of soundness.
  const claw = join(work, 'runs', 'answers');
  assert.equal((await runCli(['run', join(pool, 'answer-1'), '--agent', 'command', '--command', 'echo 42 > answer.txt', '--out', claw, '--no-progress'])).code, 0);
  const bad = await cli(['bench', 'build', '--from', pool, '--runs', nop, claw, '--out', join(work, 'bench-bad')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is a run of agent "command": --runs takes nop and oracle runs/);
});

test('--require accepted keeps only tasks a reviewer accepted (the review block of task.yaml)', async () => {
  const reviewed = join(work, 'reviewed-pool');
  cpSync(pool, reviewed, { recursive: true });
  const names = readdirSync(reviewed).filter((n) => n.startsWith('expense-rollup-') || n.startsWith('inbox-triage-')).sort();
  const accepted = names.slice(0, 3);
  for (const n of accepted) await writeReview(join(reviewed, n, 'task.yaml'), { status: 'accepted', reviewer: 'ada' });
  await writeReview(join(reviewed, names[3]!, 'task.yaml'), { status: 'rejected', notes: 'ambiguous' });
  const out = join(work, 'bench-accepted');
  const r = await cli(['bench', 'build', '--from', reviewed, '--require', 'accepted', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ids(manifestOf(out)), accepted);
  const why = Object.fromEntries(r.json.report.dropped.map((d: Json) => [d.id, d.reason]));
  assert.equal(why[names[3]!], 'review status is "rejected"');
  assert.equal(why['answer-1'], 'not reviewed yet (no review block)');
  assert.ok(!existsSync(join(out, '.bench', 'runs')), 'accepted alone needs no run');
});

test('bench check reports an edited, a deleted and an added task, and exits non-zero', async () => {
  const dir = join(work, 'bench-check');
  cpSync(join(work, 'bench-a'), dir, { recursive: true });
  const m = manifestOf(dir);
  const [edited, deleted] = m.tasks as Json[];
  const y = join(dir, edited!.path, 'task.yaml');
  writeFileSync(y, readFileSync(y, 'utf8').replace(/^title: .*$/m, 'title: Edited after the build'));
  rmSync(join(dir, deleted!.path), { recursive: true });
  const outsider = readdirSync(pool).find((n) => n.startsWith('sales-pivot-') && !ids(m).includes(n))!;
  cpSync(join(pool, outsider), join(dir, 'tasks', outsider), { recursive: true });
  writeFileSync(join(dir, 'tasks', 'not-a-task.yaml'), 'x');
  // A byte in a workspace file counts as much as task.yaml.
  const third = m.tasks[2] as Json;
  const wsFile = readdirSync(join(dir, third.path, 'workspace'), { recursive: true, withFileTypes: true }).find((d) => d.isFile())!;
  writeFileSync(join(wsFile.parentPath, wsFile.name), `${readFileSync(join(wsFile.parentPath, wsFile.name), 'utf8')} `);
  const r = await cli(['bench', 'check', dir, '--json']);
  assert.equal(r.code, 3);
  assert.equal(r.json.ok, false);
  assert.deepEqual(r.json.changed.map((c: Json) => c.id).sort(), [edited!.id, third.id].sort());
  assert.deepEqual(r.json.missing.map((c: Json) => c.id), [deleted!.id]);
  assert.deepEqual(r.json.added.map((c: Json) => c.id), [outsider]);
  assert.equal(r.json.unchanged, 17);
  const text = await cli(['bench', 'check', dir]);
  assert.equal(text.code, 3);
  assert.match(text.stdout, new RegExp(`changed  ${edited!.id}`));
  assert.match(text.stdout, new RegExp(`missing  ${deleted!.id}`));
  assert.match(text.stdout, /bench differs from its manifest: 2 changed, 1 missing, 1 added; 17 of 20 unchanged/);
  // Building into a folder that holds something else, or into the pool, is refused.
  const busy = await cli(['bench', 'build', '--from', pool, '--require', 'none', '--out', join(work, 'runs')]);
  assert.equal(busy.code, 2);
  assert.match(busy.stderr, /is not empty and holds no bench\.yaml/);
  const inPool = await cli(['bench', 'build', '--from', pool, '--require', 'none', '--out', join(pool, 'bench')]);
  assert.equal(inPool.code, 2);
  assert.match(inPool.stderr, /is inside the pool/);
});

test('calibrate: solve rates, bands, discrimination and balance from real reference runs; --difficulty-from stratifies a build', async () => {
  const bench = join(work, 'bench-all');
  const tasks = join(bench, 'tasks');
  const unrated = readdirSync(tasks).filter((n) => n.startsWith('blog-index-')).sort()[0]!;
  const runDir = (n: string) => join(work, 'ref', n);
  for (const [name, extra] of [['oracle', ['--agent', 'oracle']], ['nop', ['--agent', 'nop']], ['answers', ['--agent', 'command', '--command', 'echo 42 > answer.txt']]] as const) {
    const r = await runCli(['run', tasks, ...extra, '--exclude', unrated, '--out', runDir(name), '-c', '2', '--no-progress']);
    assert.equal(r.code, 0, r.stderr);
  }
  const html = join(work, 'calibration.html');
  const r = await cli(['bench', 'calibrate', bench, '--runs', runDir('oracle'), runDir('nop'), runDir('answers'), '--html', html, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const c = r.json;
  assert.equal(c.bench.tasks, 63);
  assert.deepEqual(c.agents.map((a: Json) => [a.agent, a.tasks_tried]), [['oracle', 62], ['nop', 62], ['command', 62]]);
  assert.deepEqual(c.agents.map((a: Json) => a.solve_rate), [1, 0, 3 / 62]);
  const by = Object.fromEntries(c.tasks.map((t: Json) => [t.id, t]));
  // oracle 1, nop 0, the answer-writer 1 on the answer tasks only.
  assert.deepEqual(by['answer-1'].per_agent, [1, 0, 1]);
  assert.equal(by['answer-1'].band, 'easy');
  assert.equal(by[unrated].band, 'unrated');
  assert.equal(by[unrated].solve_rate, null);
  assert.deepEqual(Object.fromEntries(c.bands.map((b: Json) => [b.band, b.tasks])), { easy: 3, medium: 59, hard: 0, unsolved: 0, unrated: 1 });
  // Every rated task separates oracle from nop; tasks only the oracle solves follow ability more closely.
  assert.equal(c.discrimination.separating.length, 62);
  const proc = c.tasks.find((t: Json) => t.band === 'medium');
  assert.ok(proc.discrimination > by['answer-1'].discrimination, `${proc.discrimination} > ${by['answer-1'].discrimination}`);
  assert.deepEqual(c.discrimination.separating.slice(-3).sort(), ['answer-1', 'answer-2', 'answer-3']);
  assert.deepEqual(c.discrimination.pairs.map((p: Json) => [p.a_better, p.b_better, p.even]), [[62, 0, 0], [59, 0, 3], [0, 3, 59]]);
  // Balance: every category of the bench, shares summing to 1.
  assert.equal(c.categories.reduce((s: number, x: Json) => s + x.tasks, 0), 63);
  assert.ok(Math.abs(c.categories.reduce((s: number, x: Json) => s + x.share, 0) - 1) < 1e-9);
  assert.equal(c.balance.ratio, Math.max(...c.categories.map((x: Json) => x.tasks)) / 1);
  // The page: self-contained, locked down, untrusted text escaped.
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  assert.ok(!/<script/i.test(page), 'no script element, and the hostile category is escaped');
  assert.match(page, /Q&amp;A &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.equal(page.match(/<svg class="chart"/g)?.length, 4);
  assert.ok(!/https?:\/\//.test(page.replace(/http-equiv/g, '')), 'nothing fetched');
  const text = await cli(['bench', 'calibrate', bench, '--runs', runDir('oracle'), runDir('nop'), runDir('answers')]);
  assert.match(text.stdout, /bands: easy 3 · medium 59 · hard 0 · unsolved 0 · unrated 1/);
  assert.match(text.stdout, /62 task\(s\) separate agents/);

  // The same runs as --difficulty-from: bands in the manifest, and a capped category keeps the band mix.
  const strat = join(work, 'bench-strat');
  const b = await cli(['bench', 'build', '--from', pool, '--quota', 'Analysis & Reasoning=2', '--difficulty-from', runDir('oracle'), runDir('nop'), runDir('answers'), '--runs', join(work, 'runs', 'nop'), join(work, 'runs', 'oracle'), '--out', strat, '--json']);
  assert.equal(b.code, 0, b.stderr);
  const m = manifestOf(strat);
  const ar = m.tasks.filter((t: Json) => t.category === 'Analysis & Reasoning');
  assert.deepEqual(ar.map((t: Json) => t.band).sort(), ['easy', 'medium'], 'one task of each band, not two of the larger band');
  assert.equal(m.tasks.find((t: Json) => t.id === 'answer-3').solve_rate, 2 / 3);
  assert.deepEqual(m.counts.by_band, { easy: 2, medium: m.tasks.length - 3, hard: 0, unsolved: 0, unrated: 1 });
  assert.deepEqual(m.inputs.difficulty_from.map((x: Json) => x.agent), ['oracle', 'nop', 'command']);
});

test('--keep: folder formats are copied as they are, file formats become native; --keep native converts all', async () => {
  const fixtures = join(ROOT, 'test', 'fixtures', 'formats');
  const from = ['harbor', 'pinchbench', 'syndata'].map((f) => join(fixtures, f));
  const original = join(work, 'bench-formats');
  const r = await cli(['bench', 'build', '--from', ...from, '--require', 'none', '--out', original, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const formats = Object.fromEntries(r.json.manifest.tasks.map((t: Json) => [t.id, t.format]));
  assert.deepEqual(formats, { 'csv-summary': 'harbor', 'rows-00001': 'native', 'rows-00003': 'native', task_01_notes: 'native', task_02_report: 'native' });
  assert.ok(existsSync(join(original, 'tasks', 'csv-summary', 'task.toml')), 'the Harbor task as it was');
  assert.ok(existsSync(join(original, 'tasks', 'task_01_notes', 'task.yaml')));
  const native = join(work, 'bench-formats-native');
  const n = await cli(['bench', 'build', '--from', ...from, '--require', 'none', '--keep', 'native', '--out', native, '--json']);
  assert.equal(n.code, 0, n.stderr);
  assert.ok(n.json.manifest.tasks.every((t: Json) => t.format === 'native'));
  assert.ok(existsSync(join(native, 'tasks', 'csv-summary', 'task.yaml')));
  // Both load as they are listed, and match their manifests.
  for (const dir of [original, native]) {
    const list = await cli(['list', join(dir, 'tasks'), '--json']);
    assert.deepEqual(list.json.tasks.map((t: Json) => t.id).sort(), Object.keys(formats).sort());
    assert.equal((await cli(['bench', 'check', dir])).code, 0);
  }
});
