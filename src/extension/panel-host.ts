/**
 * The one host of every ClawGym webview panel. A scripted panel loads its bundled page
 * (webview-html.ts: strict CSP, per-load nonce), gets its state through a ready handshake (the
 * webview asks each time it (re)loads, so nothing depends on retainContextWhenHidden), and every
 * message it sends is parsed with the panel's zod schema before a handler sees it: the webview is
 * untrusted input. A static panel shows a self-contained HTML document with scripts off and a CSP
 * that allows nothing but its inline styles and data: images (run and calibration reports).
 */
import * as vscode from 'vscode';
import type { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { staticHtml, webviewHtml, type WebviewPage } from './webview-html.js';

interface CommonOptions {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The panel's view type, e.g. `clawgym.verification`. */
  viewType: string;
  title: string;
  column?: vscode.ViewColumn;
  preserveFocus?: boolean;
}

export interface ScriptedPanelOptions<W extends { type: string }> extends CommonOptions {
  page: WebviewPage;
  /** Webview → host messages; the union must include `{ type: 'ready' }`. */
  messages: z.ZodType<W>;
  /** What log lines call the panel ("verification view"). */
  label: string;
}

export interface PanelHandlers<W extends { type: string }> {
  /** The webview (re)loaded and asks for its state. */
  onReady(): void;
  /** A valid message other than `ready`. Errors are logged (and shown by `onError`, if given). */
  onMessage?(m: Exclude<W, { type: 'ready' }>): void | Promise<void>;
  onError?(e: unknown): void;
  onDispose?(): void;
}

/** A scripted webview panel: typed posts out, validated messages in. */
export class PanelHost<H, W extends { type: string }> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private disposed = false;

  constructor(
    private readonly o: ScriptedPanelOptions<W>,
    handlers: PanelHandlers<W>,
  ) {
    this.panel = createPanel(o, true);
    this.panel.webview.html = webviewHtml(this.panel.webview, o.extensionUri, o.page);
    this.panel.webview.onDidReceiveMessage((raw: unknown) => {
      const r = o.messages.safeParse(raw);
      if (!r.success) return void o.log.warn(`${o.label}: dropped a malformed message`);
      const m = r.data;
      const fail = (e: unknown) => {
        o.log.error(`${o.label}: ${m.type}: ${errorMessage(e)}`);
        handlers.onError?.(e);
      };
      try {
        if (m.type === 'ready') return handlers.onReady();
        const p = handlers.onMessage?.(m as Exclude<W, { type: 'ready' }>);
        if (p) p.catch(fail);
      } catch (e) {
        fail(e);
      }
    });
    this.panel.onDidDispose(() => {
      this.disposed = true;
      handlers.onDispose?.();
    });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  post(m: H): void {
    if (!this.disposed) void this.panel.webview.postMessage(m);
  }

  reveal(column?: vscode.ViewColumn, preserveFocus?: boolean): void {
    this.panel.reveal(column, preserveFocus);
  }

  dispose(): void {
    this.panel.dispose();
  }
}

/** A panel showing a self-contained HTML document: no script runs, nothing loads from anywhere. */
export class StaticPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;

  constructor(o: CommonOptions, onDispose?: () => void) {
    this.panel = createPanel(o, false);
    if (onDispose) this.panel.onDidDispose(onDispose);
  }

  show(document: string): void {
    this.panel.webview.html = staticHtml(document);
  }

  reveal(column?: vscode.ViewColumn, preserveFocus?: boolean): void {
    this.panel.reveal(column, preserveFocus);
  }

  dispose(): void {
    this.panel.dispose();
  }
}

function createPanel(o: CommonOptions, scripts: boolean): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(o.viewType, o.title, { viewColumn: o.column ?? vscode.ViewColumn.Active, preserveFocus: o.preserveFocus ?? false }, {
    enableScripts: scripts,
    enableForms: false,
    // A static document reads nothing from disk (its styles and charts are inline).
    localResourceRoots: scripts ? [vscode.Uri.joinPath(o.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(o.extensionUri, 'media')] : [],
  });
  panel.iconPath = vscode.Uri.joinPath(o.extensionUri, 'media', 'clawgym.svg');
  return panel;
}
