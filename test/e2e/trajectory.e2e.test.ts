/**
 * The trajectory debugger in a real VS Code (code-server + headless Chromium): a claw run recorded
 * by the real CLI against the scripted Chat Completions server is opened from the Runs view,
 * stepped through with the keyboard, and a step's diff is opened; the Verification view's button
 * opens it too; a run in progress is followed live; a generated 2,000-step trajectory opened from
 * the editor measures the first render (logged by the extension, kept in e2e-metrics.json).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';
import { TrajectoryDebugger } from '../../src/extension/model/trajectory-debugger.ts';
import { ROOT } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';
import { makeTestWorkspace, type TestWorkspace } from './fixture.ts';
import { ARTIFACTS, keepForReadme, startHarness, type Harness } from './harness.ts';
import { waitFor } from './workbench.ts';
import { AGENT_MARKUP, clawConfig, DIGEST_TASK, digestScript, recordClawRun, startClawRun, SUMMARY, writeBigTrajectory, writeDigestTask } from './trajectory-fixture.ts';

const RECORDED_RUN = 'claw-recorded';
const LIVE_RUN = 'claw-live';
const BIG_STEPS = 2000;
/** Rows of the generated trajectory: system, user, then an agent row, a call and its result per step, and the answer. */
const BIG_ROWS = 2 + (BIG_STEPS - 3) * 3 + 1;
const TITLE = `${DIGEST_TASK} #1`;
const README_SCREENSHOT = join(ROOT, 'media', 'screenshots', 'trajectory.png');

let ws: TestWorkspace;
let h: Harness;
let llm: MockLlm;
let config = '';
let taskDir = '';
let live: ChildProcess | undefined;
let bigFile = '';

/** The key of the selected timeline row. */
function selectedKey(view: FrameLocator): Promise<string | null> {
  return view.locator('.row.selected').first().getAttribute('data-key', { timeout: 2_000 });
}

async function waitForSelected(view: FrameLocator, key: string): Promise<void> {
  let last: string | null = null;
  await waitFor(`row ${key} to be selected`, async () => ((last = await selectedKey(view).catch(() => null)) === key ? true : undefined), 10_000, 100).catch((e: Error) => {
    throw new Error(`${e.message}; selected: ${last}`);
  });
}

/** Press a key in the debugger (its timeline has the focus) and wait for the selection. */
async function press(view: FrameLocator, key: string, expected: string): Promise<void> {
  await view.locator('#timeline').focus();
  await h.page.keyboard.press(key);
  await waitForSelected(view, expected);
}

/** The text of one side of the active diff editor. */
async function diffSide(side: 'original' | 'modified'): Promise<string> {
  const lines = h.page.locator(`.part.editor .monaco-diff-editor .editor.${side} .view-lines`).first();
  return ((await lines.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

async function waitForDiff(title: string, original: RegExp, modified: RegExp): Promise<void> {
  await h.wb.editorTab(title).waitFor({ timeout: 30_000 });
  await h.page.locator('.part.editor .monaco-diff-editor').first().waitFor({ timeout: 30_000 });
  let seen = ['', ''];
  await waitFor(`the diff of ${title}`, async () => {
    seen = [await diffSide('original'), await diffSide('modified')];
    return original.test(seen[0]!) && modified.test(seen[1]!) ? true : undefined;
  }, 30_000).catch((e: Error) => {
    throw new Error(`${e.message}; original: ${JSON.stringify(seen[0])}, modified: ${JSON.stringify(seen[1])}`);
  });
}

/** The trial row of a run in the Runs view (other runs collapsed, so the task id is unique). */
async function trialRow(runId: string): Promise<Locator> {
  await h.wb.openViewContainer('ClawGym');
  for (const pane of ['Tasks', 'Bench']) await h.wb.collapsePane(await h.wb.viewPane(pane));
  const runs = await h.wb.viewPane('Runs');
  const runRows = await waitFor(`run ${runId} in the Runs view`, async () => {
    const seen = await h.wb.treeLabels(runs, (s) => s.has(runId));
    return seen.has(runId) ? [...seen.keys()] : undefined;
  }, 30_000);
  for (const other of runRows.filter((r) => r.startsWith('claw-') && r !== runId)) {
    const row = await h.wb.treeRow(runs, other);
    if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  }
  await h.wb.expandRow(await h.wb.treeRow(runs, runId));
  return h.wb.treeRow(runs, DIGEST_TASK);
}

async function openFromRunsView(runId: string): Promise<FrameLocator> {
  const row = await trialRow(runId);
  await row.hover();
  await row.locator('.action-label[aria-label="Open Trajectory"]').click();
  await h.wb.editorTab(`Trajectory: ${TITLE}`).waitFor({ timeout: 30_000 });
  return h.wb.webviewWith('#title', TITLE);
}

/**
 * Runs in the webview: put every row in the DOM the way the timeline builds one, and time it to
 * the first paint after (rAF, then a task) — what rendering without virtualization costs.
 */
async function renderAllRows(timeline: Element, rows: Array<{ kind: string; label: string; title: string; summary: string; metrics: string }>): Promise<number> {
  const t0 = performance.now();
  const box = document.createElement('div');
  box.style.cssText = 'position:absolute;left:0;right:0;top:0';
  rows.forEach((r, i) => {
    const row = document.createElement('div');
    row.className = `row kind-${r.kind}`;
    row.style.top = `${i * 22}px`;
    for (const [cls, text] of [['label', r.label], ['glyph', '●'], ['title', r.title], ['summary', r.summary], ['metrics', r.metrics]]) {
      const span = document.createElement('span');
      span.className = cls!;
      span.textContent = text!;
      row.append(span);
    }
    box.append(row);
  });
  timeline.append(box);
  void box.offsetHeight;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const ms = performance.now() - t0;
  box.remove();
  return ms;
}

describe('ClawGym trajectory debugger in VS Code (code-server)', { concurrency: 1 }, () => {
  before(async () => {
    ws = makeTestWorkspace();
    // Diffs side by side even in a half-width editor (VS Code switches to inline when space is short).
    const settingsFile = join(ws.folder, '.vscode', 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, 'utf8')), 'diffEditor.useInlineViewWhenSpaceIsLimited': false }, null, 2));
    taskDir = writeDigestTask(ws.tasksDir);
    llm = await new MockLlm(digestScript()).start();
    config = clawConfig();
    await recordClawRun(taskDir, join(ws.folder, 'runs', RECORDED_RUN), llm, config);
    bigFile = writeBigTrajectory(ws.folder, BIG_STEPS);
    h = await startHarness({ folder: ws.folder });
  });

  after(async () => {
    live?.kill('SIGTERM');
    await h?.stop();
    await llm?.stop();
    if (ws) rmSync(ws.folder, { recursive: true, force: true });
  });

  it('opens a recorded trajectory from the Runs view and steps through it with the keyboard', async () => {
    await h.step('open-and-step', async () => {
      const view = await openFromRunsView(RECORDED_RUN);
      await waitForSelected(view, 's1');
      // system, user, then six turns: read, failing read, write, edit, exec (a call and a result each), answer.
      assert.equal(await view.locator('.row').count(), 2 + 5 * 3 + 1);
      assert.match((await view.locator('#totals').textContent()) ?? '', /8 steps · 5 tool calls · 1 failed/);
      await press(view, 'j', 's2');
      assert.equal((await view.locator('#detail-title').textContent())?.trim(), '#2 · user');
      await press(view, ']', 'a1');
      await press(view, 'ArrowDown', 'a1/call/0');
      await press(view, 'k', 'a1');
      assert.equal((await view.locator('#detail-title').textContent())?.trim(), '#3 · agent · turn 1');
      assert.match((await view.locator('#step-metrics').textContent()) ?? '', /prompt 100 · completion 20 · \$0\.0006/);
      // The agent's markup is text, never an element.
      assert.equal((await view.locator('#message').textContent())?.trim(), AGENT_MARKUP);
      assert.ok(((await view.locator('.row[data-key="a1"] .summary').textContent()) ?? '').includes('<img src=x'));
      assert.equal(await view.locator('img').count(), 0, 'no <img> element in the debugger');
      assert.deepEqual(h.dialogs, [], 'no dialog opened');

      await press(view, 'f', 'a2/call/0');
      assert.match((await view.locator('.call.error .call-result').textContent()) ?? '', /not found/i);
      await press(view, 'G', 'a6');
      await press(view, 'g', 's1');
      await press(view, 'k', 's1'); // nothing before the first row
      await h.wb.screenshot('trajectory-a-stepping');
    });
  });

  it("opens a step's diff between its snapshot and the previous one", async () => {
    await h.step('step-diff', async () => {
      const view = await h.wb.webviewWith('#title', TITLE);
      await press(view, 'f', 'a2/call/0');
      await press(view, ']', 'a3');
      await view.locator('#files li.file[data-path="summary.md"]').waitFor();
      await h.page.keyboard.press('d');
      // summary.md is new in this step: nothing before, the summary after.
      await waitForDiff('summary.md (#5 before ↔ after)', /^$/, new RegExp(SUMMARY.trim()));

      await press(view, ']', 'a4');
      await view.locator('#files li.file[data-path="notes.txt"] vscode-button.diff').click();
      await waitForDiff('notes.txt (#6 before ↔ after)', /teh quick brown fox/, /the quick brown fox/);
      // The exec step changed nothing: no diff to open.
      await press(view, ']', 'a5');
      assert.equal((await view.locator('#files .note').textContent())?.trim(), 'This step changed no file.');
      assert.equal(await view.locator('#files li.file').count(), 0);

      // Jump to the step that last changed a file (t, then the file from a quick pick).
      await view.locator('#timeline').focus();
      await h.page.keyboard.press('t');
      await h.wb.pickQuickItem('summary.md');
      await waitForSelected(view, 'a3');
      await press(view, ']', 'a4');

      // The README picture: the debugger on the edit of notes.txt, its diff beside it.
      await h.wb.runCommand('View: Close Primary Side Bar');
      await view.locator('#timeline').focus();
      await h.page.mouse.move(5, 500);
      const shot = await h.wb.screenshot('trajectory-b-diff');
      keepForReadme(shot, README_SCREENSHOT);
      await h.wb.runCommand('View: Toggle Primary Side Bar Visibility');
    });
  });

  it('the Verification view opens the trial’s trajectory', async () => {
    await h.step('from-verification', async () => {
      await h.wb.runCommand('View: Close All Editors');
      await h.wb.editorTab(`Trajectory: ${TITLE}`).waitFor({ state: 'detached' });
      await (await trialRow(RECORDED_RUN)).click();
      const verification = await h.wb.webviewWith('#task-id', DIGEST_TASK);
      await verification.locator('#open-trajectory').click();
      await h.wb.editorTab(`Trajectory: ${TITLE}`).waitFor({ timeout: 30_000 });
      const view = await h.wb.webviewWith('#title', TITLE);
      await waitForSelected(view, 's1');
    });
  });

  it('follows a run in progress live, then shows its trajectory.json', async () => {
    await h.step('live', async () => {
      await h.wb.runCommand('View: Close All Editors');
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      llm.setScript(digestScript(gate));
      const out = join(ws.folder, 'runs', LIVE_RUN);
      live = startClawRun(taskDir, out, llm, config);
      let stderr = '';
      live.stderr!.on('data', (c) => (stderr += c));
      const exited = new Promise<number | null>((r) => live!.once('exit', r));
      try {
        // The run is held at its fourth model call: three turns are in events.jsonl.
        const events = join(out, 'trials', DIGEST_TASK, '1', 'events.jsonl');
        await waitFor('the live run to reach turn 4', async () => (existsSync(events) && readFileSync(events, 'utf8').includes('"step":4,"state":"start"') ? true : undefined), 60_000);
        await h.wb.runCommand('ClawGym: Refresh Tasks'); // the Runs view also notices run.json by itself
        const view = await openFromRunsView(LIVE_RUN);
        await view.locator('#live:not([hidden])').waitFor({ timeout: 10_000 });
        await view.locator('.row[data-key="a3/call/0"]').waitFor({ timeout: 10_000 });
        assert.equal(await view.locator('.row[data-key="s1"]').count(), 0, 'live: the steps come from events.jsonl');
        await waitForSelected(view, 'a4'); // following the newest row
        assert.equal(await view.locator('.row[data-key="a5"]').count(), 0);
        await h.wb.screenshot('trajectory-c-live');
        release();
        // The rest arrives, then the trial ends and trajectory.json replaces the events.
        await view.locator('.row[data-key="a5/call/0"]').waitFor({ timeout: 30_000 });
        await view.locator('.row[data-key="s1"]').waitFor({ timeout: 60_000 });
        await view.locator('#live[hidden]').waitFor({ state: 'attached', timeout: 10_000 });
        assert.equal(await view.locator('.row').count(), 2 + 5 * 3 + 1);
        assert.equal(await exited, 0, stderr);
      } finally {
        release();
      }
    });
  });

  it('opens a 2,000-step trajectory from the editor; the first render is measured', async () => {
    await h.step('big-trajectory', async () => {
      await h.wb.runCommand('View: Close All Editors');
      await h.wb.runCommand('Go to File...');
      await h.wb.pickQuickItem(`trajectory-${BIG_STEPS}.json`);
      await h.wb.editorTab(`trajectory-${BIG_STEPS}.json`).waitFor();
      await h.page.locator('.part.editor .editor-actions .action-label[aria-label^="Open Trajectory"]').first().click();
      const view = await h.wb.webviewWith('#title', `trajectories/trajectory-${BIG_STEPS}.json`);
      const logged = await waitFor('"trajectory first render" for the 2,000 steps in the log', async () => {
        const m = new RegExp(`trajectory first render: (\\d+(?:\\.\\d+)?) ms \\(${BIG_STEPS} steps, (\\d+) rows, (\\d+) in the DOM; page load to first paint (\\d+) ms\\)`).exec(h.log());
        return m ? { ms: Number(m[1]), rows: Number(m[2]), dom: Number(m[3]), pageMs: Number(m[4]) } : undefined;
      }, 60_000);
      assert.equal(logged.rows, BIG_ROWS);
      assert.ok(logged.dom > 10 && logged.dom < 200, `virtualized: ${logged.dom} rows in the DOM`);
      assert.ok(Number.isFinite(logged.ms) && logged.ms > 0);
      // Still virtual, and every row reachable.
      assert.ok((await view.locator('.row').count()) < 200);
      await press(view, 'G', 'a1998');
      assert.equal(await view.locator('.row.selected').getAttribute('data-index'), String(BIG_ROWS - 1));
      await press(view, 'f', 'a97/call/0');
      await press(view, 'e', 'a194/call/0');
      await h.wb.screenshot('trajectory-d-2000-steps');

      // The baseline, in the same webview: the same rows all put in the DOM at once (no virtualization).
      const model = new TrajectoryDebugger({ title: 'baseline', source: bigFile });
      model.load({ trajectory: AtifTrajectory.parse(JSON.parse(readFileSync(bigFile, 'utf8'))) });
      const baselineMs = await view.locator('#timeline').evaluate(renderAllRows, model.rows.map((r) => ({ kind: r.kind, label: r.label, title: r.title, summary: r.summary, metrics: r.tokens === null ? '' : `${r.tokens} tok` })));
      assert.ok(baselineMs > 0);

      const file = join(ARTIFACTS, 'e2e-metrics.json');
      let metrics: Record<string, unknown> = {};
      try {
        metrics = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        /* none yet */
      }
      metrics.trajectory_first_render_ms = logged.ms;
      metrics.trajectory_first_render = {
        steps: BIG_STEPS,
        rows: logged.rows,
        dom_rows: logged.dom,
        page_load_to_paint_ms: logged.pageMs,
        baseline_all_rows_ms: Number(baselineMs.toFixed(1)),
        measured_at: new Date().toISOString(),
      };
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(file, JSON.stringify(metrics, null, 2) + '\n');
    });
  });
});
