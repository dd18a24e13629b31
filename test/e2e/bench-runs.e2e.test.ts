/**
 * The bench workflow and run reports in a real VS Code (code-server + headless Chromium), driven
 * as a task author would: Open Run Report shows report.html in a webview (not an external
 * browser); Select for Compare / Compare with Selected on two runs of the Runs view opens them
 * side by side, regressions first; Build Bench from the Bench view's title writes bench.yaml and
 * shows the check's verdict; a task changed inside the bench and a folder that does not load
 * show up in the Problems panel after Check Bench.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { parse } from 'yaml';
import { ROOT } from '../helpers.ts';
import { makeTestWorkspace, type TestWorkspace } from './fixture.ts';
import { keepForReadme, startHarness, type Harness } from './harness.ts';
import { exactly, waitFor } from './workbench.ts';

/** Two small sound examples: the oracle scores 1 on both, nop 0. */
const TASKS = ['survey-nps-ranking', 'notes-todo-rollup'];
const RUN_A = 'e2e-oracle';
const RUN_B = 'e2e-nop';

let ws: TestWorkspace;
let h: Harness;

function cliRun(agent: string, out: string): void {
  const args = [join(ROOT, 'dist', 'cli.cjs'), 'run', ...TASKS.map((t) => join(ws.tasksDir, t)), '--agent', agent, '--out', out, '--no-progress'];
  execFileSync(process.execPath, args, { cwd: ws.folder, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
}

async function contextMenu(row: Locator, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const entry = h.page.locator('.monaco-menu .action-item .action-label', { hasText: exactly(item) }).first();
  await h.wb.clickMenuEntry(entry);
}

async function paneAction(pane: Locator, label: string): Promise<void> {
  const header = pane.locator('.pane-header').first();
  await header.hover();
  await header.locator(`.action-label[aria-label="${label}"]`).first().click();
}

async function text(frame: FrameLocator, selector: string): Promise<string> {
  return ((await frame.locator(selector).first().textContent({ timeout: 5_000 })) ?? '').trim();
}

describe('Run reports, run comparison and the bench workflow in VS Code (code-server)', { concurrency: 1 }, () => {
  before(async () => {
    ws = makeTestWorkspace();
    // The bench is built from the two tasks only (taskRoots may name task folders).
    const settingsFile = join(ws.folder, '.vscode', 'settings.json');
    const s = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...s, 'clawgym.taskRoots': TASKS.map((t) => `tasks/${t}`) }, null, 2) + '\n');
    mkdirSync(join(ws.folder, 'runs'));
    cliRun('oracle', join(ws.folder, 'runs', RUN_A));
    cliRun('nop', join(ws.folder, 'runs', RUN_B));
    h = await startHarness({ folder: ws.folder });
  });

  after(async () => {
    await h?.stop();
    if (ws) rmSync(ws.folder, { recursive: true, force: true });
  });

  it('Open Run Report shows report.html in a webview, charts included', async () => {
    await h.step('open the report from the Runs view', async () => {
      await h.wb.openViewContainer('ClawGym');
      const runs = await h.wb.viewPane('Runs');
      const row = await h.wb.treeRow(runs, RUN_A);
      await contextMenu(row, 'Open Run Report');
    });
    await h.step('the report is in an editor tab, with its numbers and SVG charts', async () => {
      await h.wb.editorTab(`Report: ${RUN_A}`).waitFor({ timeout: 60_000 });
      const report = await h.wb.webviewWith('h1', 'Run report');
      const meta = await text(report, '.meta');
      assert.match(meta, new RegExp(RUN_A));
      assert.ok((await report.locator('svg').count()) > 0, 'the charts are there');
      // Scripts are off in the report's webview: nothing of the page may run.
      assert.equal(await report.locator('script').count(), 0);
      await h.wb.screenshot('report-webview');
    });
  });

  it('Select for Compare and Compare with Selected show two runs side by side, regressions first', async () => {
    await h.step('select run A, compare run B with it', async () => {
      const runs = await h.wb.viewPane('Runs');
      await contextMenu(await h.wb.treeRow(runs, RUN_A), 'Select for Compare');
      await contextMenu(await h.wb.treeRow(runs, RUN_B), 'Compare with Selected');
    });
    const view = await h.step('the comparison panel opens', async () => {
      await h.wb.editorTab(`Compare: ${RUN_A} ↔ ${RUN_B}`).waitFor({ timeout: 60_000 });
      return h.wb.webviewWith('h1', 'Run comparison');
    });
    await h.step('both runs, per-task deltas, the regressions first', async () => {
      assert.match(await text(view, '#side-a .run-id'), exactly(RUN_A));
      assert.match(await text(view, '#side-b .run-id'), exactly(RUN_B));
      const rows = await view.locator('#tasks tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-task-id'), tr.getAttribute('data-kind'), tr.querySelector('.a-reward')?.textContent, tr.querySelector('.b-reward')?.textContent]),
      );
      // The oracle solves both, nop neither: both tasks regress from A to B, 1.000 → 0.000.
      assert.deepEqual(rows.map((r) => r.slice(1)).sort(), TASKS.map(() => ['regression', '1.000', '0.000']));
      assert.deepEqual(rows.map((r) => r[0]).sort(), [...TASKS].sort());
      assert.match(await text(view, '#counts'), /2 regressions · 0 gains · 0 unchanged/);
      const shot = await h.wb.screenshot('compare');
      keepForReadme(shot, join(ROOT, 'media', 'screenshots', 'compare.png'));
    });
    await h.step('Swap A and B turns the regressions into gains', async () => {
      await view.locator('#swap').click();
      await waitFor('the swapped comparison', async () => ((await text(view, '#side-a .run-id')) === RUN_B ? true : undefined));
      assert.match(await text(view, '#counts'), /0 regressions · 2 gains/);
    });
  });

  it('the palette offers the bench and compare commands', async () => {
    await h.step('palette', async () => {
      for (const title of ['Build Bench', 'Check Bench', 'Calibrate Bench', 'Compare Runs…', 'Open Run Report']) assert.ok(await h.wb.hasCommand(`ClawGym: ${title}`), title);
    });
  });

  it('Build Bench from the Bench view writes bench.yaml and shows its check', async () => {
    const benchYaml = join(ws.folder, 'bench', 'bench.yaml');
    const bench = await h.step('Build Bench from the Bench view title', async () => {
      await h.wb.openViewContainer('ClawGym');
      const pane = await h.wb.viewPane('Bench');
      await paneAction(pane, 'Build Bench');
      const input = h.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 30_000 });
      await input.press('Enter'); // every qualifying task
      return pane;
    });
    await h.step('bench.yaml is written with both tasks (the build ran nop and the oracle)', async () => {
      await waitFor('bench/bench.yaml', async () => (existsSync(benchYaml) ? true : undefined), 300_000, 1_000);
      const m = parse(readFileSync(benchYaml, 'utf8')) as { tasks: Array<{ id: string }> };
      assert.deepEqual(m.tasks.map((t) => t.id).sort(), [...TASKS].sort());
    }, 320_000);
    await h.step('the Bench view shows the bench and its verdict', async () => {
      await waitFor('the bench row to say it matches bench.yaml', async () => {
        const row = await h.wb.treeRow(bench, 'bench');
        const d = await h.wb.rowDescription(row);
        return d.startsWith('matches bench.yaml: 2 of 2') ? d : undefined;
      }, 60_000);
      await h.wb.screenshot('bench-built');
    });
  });

  it('Check Bench reports a changed task and a folder that does not load in the Problems panel', async () => {
    const benchDir = join(ws.folder, 'bench');
    const m = parse(readFileSync(join(benchDir, 'bench.yaml'), 'utf8')) as { tasks: Array<{ id: string; path: string }> };
    const changed = m.tasks.find((t) => t.id === TASKS[0])!;
    await h.step('plant: edit a bench task, add a broken task folder, Check Bench', async () => {
      appendFileSync(join(benchDir, changed.path, 'task.yaml'), '# edited after the build\n');
      mkdirSync(join(benchDir, 'tasks', 'broken-probe'), { recursive: true });
      writeFileSync(join(benchDir, 'tasks', 'broken-probe', 'task.yaml'), 'id: broken-probe\ninstruction: Do it.\nverify:\n  checks:\n    - id: a\n      type: json_path2\n      path: x.json\n');
      await paneAction(await h.wb.viewPane('Bench'), 'Check Bench');
    });
    await h.step('the Problems panel lists both, at bench.yaml and at the broken task.yaml', async () => {
      await h.page.keyboard.press('Control+Shift+M');
      const rows = h.page.locator('.part.panel .markers-panel .monaco-list-row');
      const seen = await waitFor('both bench problems in the Problems panel', async () => {
        const texts = await rows.allTextContents();
        const all = texts.join('\n');
        return all.includes(`${changed.id} changed since the bench was built`) && all.includes('not a loadable task') ? texts : undefined;
      }, 60_000);
      assert.ok(seen.some((t) => /bench\.yaml/.test(t)), `a file row for bench.yaml: ${seen.join(' | ')}`);
      assert.ok(seen.some((t) => /\[Ln \d+, Col \d+\]/.test(t)), `problems carry their line and column: ${seen.join(' | ')}`);
      await h.wb.runCommand('Notifications: Clear All Notifications');
      // The changed task's entry in bench.yaml, opened from the Problems panel.
      await rows.filter({ hasText: 'changed since the bench was built' }).first().click();
      await h.wb.editorTab('bench.yaml').waitFor({ timeout: 30_000 });
      const shot = await h.wb.screenshot('bench-problems');
      keepForReadme(shot, join(ROOT, 'media', 'screenshots', 'bench.png'));
    });
    await h.step('the Bench view says the bench differs', async () => {
      const pane = await h.wb.viewPane('Bench');
      await waitFor('the bench row to say it differs', async () => {
        const d = await h.wb.rowDescription(await h.wb.treeRow(pane, 'bench'));
        return /^differs from bench\.yaml: 1 changed, 1 added/.test(d) ? d : undefined;
      }, 30_000);
    });
  });
});
