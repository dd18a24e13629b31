/**
 * The trajectory debugger's model on a real recorded trial: the claw agent run by the CLI against
 * the scripted Chat Completions server, in the real sandbox, with real git snapshots. What the
 * debugger would diff is what git says each step changed; following events.jsonl line by line
 * builds the same steps the finished trajectory has.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WorkspaceSnapshots } from '../../src/core/workspace/snapshots.ts';
import { JsonlTail } from '../../src/extension/model/events-tail.ts';
import { TrajectoryDebugger } from '../../src/extension/model/trajectory-debugger.ts';
import { locateTrajectory, readEvents, readSnapshots, readTrajectory } from '../../src/extension/model/trajectory-files.ts';
import { tempDir } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';
import { clawConfig, DIGEST_TASK, digestScript, recordClawRun, SUMMARY, writeDigestTask } from '../e2e/trajectory-fixture.ts';

const llm = new MockLlm();
let trial = '';

before(async () => {
  await llm.start();
  llm.setScript(digestScript());
  const dir = tempDir();
  trial = await recordClawRun(writeDigestTask(join(dir, 'tasks')), join(dir, 'runs', 'claw'), llm, clawConfig());
});
after(() => llm.stop());

async function load(): Promise<TrajectoryDebugger> {
  const loc = locateTrajectory(trial)!;
  const read = readTrajectory(loc.trajectoryFile);
  assert.ok(read.ok, !read.ok ? read.error : '');
  const events = readEvents(loc.eventsFile);
  const d = new TrajectoryDebugger({ title: loc.title, source: trial, snapshotsAvailable: true });
  d.load({ trajectory: read.trajectory, events, snapshots: await readSnapshots(loc.snapshotsDir, events) });
  return d;
}

test('a recorded claw trial: steps, the failing call, and diffs that match the snapshots in git', async () => {
  const d = await load();
  assert.equal(locateTrajectory(trial)!.title, `${DIGEST_TASK} #1`);
  assert.deepEqual(d.steps.map((s) => s.key), ['s1', 's2', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
  assert.ok(d.navigate('firstFailure'));
  assert.equal(d.rows[d.selected]!.key, 'a2/call/0');
  assert.match(d.detail()!.calls[0]!.result!, /not found/i);
  assert.ok(d.detail()!.calls[0]!.ms! > 0, 'tool timings from events.jsonl');
  const h = d.header();
  assert.deepEqual([h.steps, h.toolCalls, h.failedCalls, h.promptTokens, h.completionTokens, h.snapshots], [8, 5, 1, 600, 120, true]);
  assert.ok(Math.abs(h.costUsd! - 6 * (100 * 3 + 20 * 15) / 1e6) < 1e-12, `cost ${h.costUsd}`);

  const repo = WorkspaceSnapshots.open(join(trial, 'snapshots.git'));
  const list = await repo.list();
  assert.deepEqual(list.map((s) => s.step), [0, 3, 4], 'the materialized workspace, then the write and the edit');
  const write = d.diffTarget(d.steps.findIndex((s) => s.key === 'a3'));
  assert.deepEqual(write, { before: list[0]!.commit, after: list[1]!.commit, changed: ['summary.md'] });
  assert.equal(await repo.show(write.before!, 'summary.md'), null, 'summary.md is new in that step');
  assert.equal((await repo.show(write.after!, 'summary.md'))!.toString(), SUMMARY);
  const edit = d.diffTarget(d.steps.findIndex((s) => s.key === 'a4'));
  assert.deepEqual(edit, { before: list[1]!.commit, after: list[2]!.commit, changed: ['notes.txt'] });
  assert.match((await repo.show(edit.before!, 'notes.txt'))!.toString(), /^teh quick/);
  assert.match((await repo.show(edit.after!, 'notes.txt'))!.toString(), /^the quick/);
  assert.deepEqual(await repo.changed(edit.before!, edit.after!), ['notes.txt']);
  const exec = d.diffTarget(d.steps.findIndex((s) => s.key === 'a5'));
  assert.deepEqual(exec, { before: list[2]!.commit, after: list[2]!.commit, changed: [] }, 'the command changed nothing');

  assert.ok(d.lastTouch('notes.txt'));
  assert.equal(d.rows[d.selected]!.key, 'a4');
});

test('without events.jsonl the snapshots from git give the same diffs', async () => {
  const withEvents = await load();
  const read = readTrajectory(join(trial, 'trajectory.json'));
  assert.ok(read.ok);
  const d = new TrajectoryDebugger({ title: 'x', source: trial, snapshotsAvailable: true });
  d.load({ trajectory: read.trajectory, snapshots: await readSnapshots(join(trial, 'snapshots.git'), []) });
  for (let i = 0; i < d.steps.length; i++) assert.deepEqual(d.diffTarget(i), withEvents.diffTarget(i), `step ${i}`);
});

test('following events.jsonl as it is written builds the trajectory’s agent steps', async () => {
  const lines = readFileSync(join(trial, 'events.jsonl'), 'utf8').trim().split('\n');
  const live = join(tempDir(), 'events.jsonl');
  writeFileSync(live, '');
  const got: unknown[] = [];
  const tail = new JsonlTail(live, (v) => got.push(v));
  const d = new TrajectoryDebugger({ title: 'live', source: live });
  d.load({ trajectory: null, events: [] });
  d.setFollow(true);
  let appended = 0;
  for (const [i, line] of lines.entries()) {
    // Half a line at a time now and then: the tail hands over complete lines only.
    if (i % 3 === 0) {
      appendFileSync(live, line.slice(0, 10));
      await tail.poll();
      appendFileSync(live, `${line.slice(10)}\n`);
    } else appendFileSync(live, `${line}\n`);
    await tail.poll();
    if (d.append(got.splice(0)) !== null) appended++;
    if (d.rows.length && i < lines.length - 1) assert.equal(d.selected, d.rows.length - 1, 'following the newest row');
  }
  assert.ok(appended >= 6, `rows changed ${appended} times`);
  assert.equal(d.live, false, 'trial_end ends live mode');
  const final = await load();
  const agentRows = final.rows.filter((r) => r.key.startsWith('a'));
  assert.deepEqual(d.rows.map((r) => [r.key, r.kind, r.title, r.error, r.changed]), agentRows.map((r) => [r.key, r.kind, r.title, r.error, r.changed]));
  assert.deepEqual(d.rows.map((r) => r.tokens), agentRows.map((r) => r.tokens));
});
