/**
 * The task.yaml language server in a real VS Code (code-server + headless Chromium): opening a
 * broken task.yaml starts the server, its problems reach the Problems panel at the right line and
 * column, and completion after `type: ` offers the check types.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTestWorkspace, type TestWorkspace } from './fixture.ts';
import { startHarness, type Harness } from './harness.ts';
import { waitFor } from './workbench.ts';

const TASK = 'lsp-probe';
// Line 11, column 13 is the misspelt check type; the last check's type is left for completion.
const BROKEN = `id: ${TASK}
title: Language server probe
instruction: |
  Write hello to note.txt.
category: Harness Probes
difficulty: 1
timeout_sec: 60
verify:
  checks:
    - id: hello
      type: text_containz
      path: note.txt
      text: hello
    - id: second
      path: note.txt
      type: 
`;

let ws: TestWorkspace;
let h: Harness;

describe('task.yaml language server in VS Code (code-server)', { concurrency: 1 }, () => {
  before(async () => {
    ws = makeTestWorkspace();
    mkdirSync(join(ws.tasksDir, TASK, 'workspace'), { recursive: true });
    writeFileSync(join(ws.tasksDir, TASK, 'task.yaml'), BROKEN);
    writeFileSync(join(ws.tasksDir, TASK, 'workspace', 'note.txt'), 'draft\n');
    h = await startHarness({ folder: ws.folder });
  });

  after(async () => {
    await h?.stop();
    if (ws) rmSync(ws.folder, { recursive: true, force: true });
  });

  it('a broken task.yaml shows its diagnostics in the Problems panel at the right line', async () => {
    await h.step('lsp-problems', async () => {
      const { page } = h;
      await page.keyboard.press('F1');
      const box = page.locator('.quick-input-widget .quick-input-box input');
      await box.waitFor({ state: 'visible' });
      // Without ">" the palette is Go to File.
      await box.fill(`tasks/${TASK}/task.yaml`);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'task.yaml' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'task.yaml' }).waitFor();
      await waitFor('the language server to start', async () => (/task\.yaml language server started/.test(h.log()) ? true : undefined), 60_000);

      await h.wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
      const rows = page.locator('.markers-panel .monaco-list-row');
      const typeProblem = await waitFor('the unknown check type in Problems', async () => {
        const texts = await rows.allTextContents();
        return texts.find((t) => /text_containz|check "type"|check type/i.test(t) && /Ln 11, Col 13/.test(t));
      }, 60_000).catch(async (e: Error) => {
        throw new Error(`${e.message}; Problems shows: ${JSON.stringify(await rows.allTextContents())}`);
      });
      assert.match(typeProblem, /Ln 11, Col 13/);
      await h.wb.screenshot('lsp-problems');
    });
  });

  it('completion after `type: ` offers the check types', async () => {
    await h.step('lsp-completion', async () => {
      const { page } = h;
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      const box = page.locator('.quick-input-widget .quick-input-box input');
      await box.waitFor({ state: 'visible' });
      await box.fill(':16:13');
      await page.keyboard.press('Enter');
      // Ctrl+Space does not reach the editor in headless Chromium: the palette's command does.
      await h.wb.runCommand('Trigger Suggest');
      const suggestions = page.locator('.editor-widget.suggest-widget .monaco-list-row');
      const labels = await waitFor('the check types in the suggest widget', async () => {
        const texts = (await suggestions.allTextContents()).map((t) => t.trim());
        return texts.some((t) => t.startsWith('file_exists')) && texts.some((t) => t.startsWith('text_contains')) ? texts : undefined;
      }, 30_000).catch(async (e: Error) => {
        throw new Error(`${e.message}; it shows: ${JSON.stringify(await suggestions.allTextContents())}`);
      });
      assert.ok(labels.length >= 5, `several check types offered: ${labels.join(', ')}`);
      await h.wb.screenshot('lsp-completion');
      await page.keyboard.press('Escape');
    });
  });
});
