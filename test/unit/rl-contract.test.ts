/** The queue's and the environment server's contracts: job ids, Redis URLs, request bodies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RolloutRequest, ResetRequest, StepRequest } from '../../src/core/rl/protocol.ts';
import { redisConnection, safeRedisUrl, trialJobId } from '../../src/core/runs/queue/jobs.ts';
import { UsageError } from '../../src/core/errors.ts';

test('job ids are deterministic, distinct per trial and per run, and free of what BullMQ refuses', () => {
  const run = (run_id: string, created_at = '2026-11-24T10:00:00.000Z') => ({ run_id, created_at });
  const a = trialJobId(run('2026-11-24T10-00-00-nop-ab12cd'), 'task:1', 2);
  assert.equal(a, trialJobId(run('2026-11-24T10-00-00-nop-ab12cd'), 'task:1', 2));
  assert.ok(!a.includes(':'), a);
  assert.ok(!/^\d+$/.test(a));
  const ids = new Set([trialJobId(run('r'), 'a', 1), trialJobId(run('r'), 'a', 2), trialJobId(run('r'), 'b', 1), trialJobId(run('s'), 'a', 1), trialJobId(run('r'), 'a/1', 1)]);
  assert.equal(ids.size, 5);
  // A task id with a slash cannot collide with another task's attempt.
  assert.notEqual(trialJobId(run('r'), 'a/1', 1), trialJobId(run('r'), 'a', 11));
  // Run ids are folder names: two runs in folders of the same name never share a job.
  assert.notEqual(trialJobId(run('exp1', '2026-11-24T10:00:00.000Z'), 'a', 1), trialJobId(run('exp1', '2026-11-25T09:00:00.000Z'), 'a', 1));
});

test('Redis URLs: only redis:// and rediss://, and a password never shown', () => {
  assert.deepEqual(redisConnection('redis://127.0.0.1:6379/2'), { url: 'redis://127.0.0.1:6379/2', maxRetriesPerRequest: null });
  assert.throws(() => redisConnection('http://127.0.0.1:6379'), UsageError);
  assert.throws(() => redisConnection('not a url'), UsageError);
  const shown = safeRedisUrl('redis://user:s3cret-pass@host:6379/0');
  assert.ok(!shown.includes('s3cret-pass'), shown);
  assert.match(shown, /host:6379/);
  try {
    redisConnection('redis//:s3cret-pass@host');
    assert.fail('accepted');
  } catch (e) {
    assert.ok(!(e as Error).message.includes('s3cret-pass'));
  }
});

test('request bodies: reset takes exactly one of task_id and seed; unknown keys are refused', () => {
  assert.ok(ResetRequest.safeParse({ task_id: 't' }).success);
  assert.ok(ResetRequest.safeParse({ seed: -3 }).success);
  for (const bad of [{}, { task_id: 't', seed: 1 }, { seed: 1.5 }, { task: 't' }]) assert.equal(ResetRequest.safeParse(bad).success, false, JSON.stringify(bad));
  const step = StepRequest.parse({ episode_id: 'e', tool_call: { name: 'read' } });
  assert.deepEqual(step.tool_call.arguments, {});
  assert.equal(StepRequest.parse({ episode_id: 'e', tool_call: { name: 'read', arguments: '{"path":"a"}' } }).tool_call.arguments, '{"path":"a"}');
  assert.equal(StepRequest.safeParse({ episode_id: 'e', tool_call: { name: 'read', arguments: [1] } }).success, false);
  const ok = { task_id: 't', base_url: 'http://127.0.0.1:8000/v1', model: 'm', n: 8 };
  assert.ok(RolloutRequest.safeParse(ok).success);
  for (const bad of [{ ...ok, n: 0 }, { ...ok, n: 65 }, { ...ok, base_url: 'file:///etc/passwd' }, { ...ok, extra: 1 }]) assert.equal(RolloutRequest.safeParse(bad).success, false, JSON.stringify(bad));
});
