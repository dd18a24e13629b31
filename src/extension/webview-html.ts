/**
 * The page every ClawGym webview starts from: a strict CSP with a per-load nonce, the view's
 * bundled script and stylesheet through asWebviewUri, and a placeholder the script replaces.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** dist/webview/<name>.js and media/<name>.css */
  name: string;
  title: string;
  /** The root element the script renders into, e.g. `<main id="app" aria-live="polite">`. */
  root: string;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${page.name}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${page.name}.css`));
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const tag = /^<(\w+)/.exec(page.root)?.[1] ?? 'div';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>${page.title}</title>
</head>
<body>
${page.root}<p class="muted">Loading…</p></${tag}>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

export { staticHtml } from './model/static-html.js';
