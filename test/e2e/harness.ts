/**
 * One end-to-end session: code-server with the packaged extension, headless Chromium on its page,
 * and the workbench ready. `step` bounds each test step in time and leaves a screenshot when it
 * fails; `stop` always tears both processes down and keeps the logs in test-artifacts/e2e/.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers.ts';
import { startCodeServer, type CodeServer } from './code-server.ts';
import { activationCount, clawgymLog, extensionHostErrors } from './logs.ts';
import { waitFor, Workbench } from './workbench.ts';

export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const E2E_ARTIFACTS = join(ARTIFACTS, 'e2e');
/** The packaged extension (`npm run package`); CLAWGYM_E2E_VSIX points elsewhere while developing. */
export const VSIX = process.env.CLAWGYM_E2E_VSIX ?? join(ROOT, 'dist', 'clawgym.vsix');
const CHROMIUM = process.env.CLAWGYM_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface HarnessOptions {
  /** The folder the workbench opens. */
  folder: string;
  vsix?: string;
  /** Default time limit of a step. */
  stepTimeoutMs?: number;
}

export interface Harness {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly wb: Workbench;
  /** Messages of every JavaScript dialog (alert, confirm, …) any frame opened; each is dismissed. */
  readonly dialogs: string[];
  /** URLs the page's main frame navigated to, the first load included (a reload shows up here). */
  readonly navigations: string[];
  /** Load the workbench on the test folder again (after something reloaded the window elsewhere). */
  reopenFolder(): Promise<void>;
  /** The ClawGym output channel's log so far. */
  log(): string;
  /** Run `fn` within a time limit; on failure, screenshot `FAILED-<name>.png` and add the log tail. */
  step<T>(name: string, fn: () => Promise<T>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  // scripts/e2e.sh empties the folder once per suite run (each test file is its own process, and
  // one file's screenshots must not delete another's); here only this run's failures are reset.
  mkdirSync(E2E_ARTIFACTS, { recursive: true });
  const stateDir = mkdtempSync(join(tmpdir(), 'clawgym-e2e-state-'));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  try {
    server = await startCodeServer({ stateDir, folder: opts.folder, vsix: opts.vsix ?? VSIX });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
    // Wide enough for the side bar, an editor and the panel to be readable in screenshots.
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(30_000);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    wb = new Workbench(page, E2E_ARTIFACTS);
    const folderUrl = `${server.url}/?folder=${encodeURIComponent(opts.folder)}`;
    const userDataDir = server.userDataDir;
    const workbench = wb;
    // Ready means the workbench is laid out and ClawGym has activated in this window (its
    // contributions are then known to the palette and the views).
    const reopenFolder = async (): Promise<void> => {
      const activations = activationCount(userDataDir);
      await page.goto(folderUrl);
      await workbench.waitReady();
      await waitFor('ClawGym to activate ("activated in" in its log)', async () => (activationCount(userDataDir) > activations ? true : undefined), 60_000);
    };
    await reopenFolder();
    const session: Session = { server, browser, page, wb, dialogs, navigations, reopenFolder, stateDir };
    return makeHarness(session, opts.stepTimeoutMs ?? 120_000);
  } catch (e) {
    await wb?.screenshot('FAILED-startup').catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (server) {
      saveLogs(server);
      await server.stop();
    }
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  }
}

interface Session {
  server: CodeServer;
  browser: Browser;
  page: Page;
  wb: Workbench;
  dialogs: string[];
  navigations: string[];
  reopenFolder(): Promise<void>;
  stateDir: string;
}

function makeHarness(session: Session, stepTimeoutMs: number): Harness {
  const { server, browser, wb, stateDir } = session;
  let stopped = false;
  const log = (): string => clawgymLog(server.userDataDir);
  return {
    ...session,
    log,
    async step<T>(name: string, fn: () => Promise<T>, timeoutMs = stepTimeoutMs): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`step "${name}" did not finish within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return await Promise.race([fn(), timeout]);
      } catch (e) {
        const shot = await wb.screenshot(`FAILED-${name.replace(/[^\w.-]+/g, '-')}`).catch(() => 'none');
        throw new Error(failureReport(name, e, shot, log(), extensionHostErrors(server.userDataDir)));
      } finally {
        clearTimeout(timer);
      }
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
      saveLogs(server);
      await server.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** What a failed step says: the error, where in the tests, the screenshot, and the logs' news. */
function failureReport(step: string, e: unknown, screenshot: string, clawgymLogText: string, hostErrors: string[]): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const where = (err.stack ?? '').split('\n').filter((l) => /test\/e2e\/(?!harness)/.test(l)).slice(0, 3);
  return [
    `[${step}] ${err.message}`,
    ...where.map((l) => `  ${l.trim()}`),
    `screenshot: ${screenshot}`,
    'ClawGym log (last lines):',
    clawgymLogText.trim().split('\n').slice(-20).join('\n') || '(empty)',
    ...(hostErrors.length ? ['extension host errors:', ...hostErrors.slice(-10)] : []),
  ].join('\n');
}

/** Keep the server's output and the extension's log next to the screenshots. */
function saveLogs(server: CodeServer): void {
  mkdirSync(E2E_ARTIFACTS, { recursive: true });
  writeFileSync(join(E2E_ARTIFACTS, 'code-server.log'), server.output());
  writeFileSync(join(E2E_ARTIFACTS, 'ClawGym.log'), clawgymLog(server.userDataDir));
}

/**
 * The README's pictures come from the suite, but a test run must not dirty the checkout: they are
 * replaced only when asked (CLAWGYM_UPDATE_SCREENSHOTS=1 bash scripts/e2e.sh).
 */
export function keepForReadme(shot: string, dest: string): void {
  if (process.env.CLAWGYM_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(shot, dest);
}
