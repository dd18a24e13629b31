/**
 * A self-contained HTML document (report.html, a calibration report) made fit for a webview with
 * scripts off: a Content-Security-Policy that allows only the document's inline styles and data:
 * images goes first into its <head>, so nothing loads, submits or runs whatever the document holds.
 * Pure: unit-tested without VS Code.
 */

export const STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

const META = `<meta http-equiv="Content-Security-Policy" content="${STATIC_CSP}">`;

export function staticHtml(document: string): string {
  // The first <head> precedes any content of the document (the reports escape their text).
  const head = /<head(\s[^>]*)?>/i.exec(document);
  if (head) return document.slice(0, head.index + head[0].length) + `\n${META}` + document.slice(head.index + head[0].length);
  return `<!DOCTYPE html>\n<html><head>${META}</head><body>${document}</body></html>`;
}
