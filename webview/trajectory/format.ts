/** Number formats of the trajectory debugger (pure: unit-tested, bundled into the webview). */

/** "850 tok", "12.3k tok", "1.20M tok". */
export function formatTokens(n: number): string {
  if (n < 1000) return `${Math.round(n)} tok`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)}k tok`;
  return `${(n / 1_000_000).toFixed(2)}M tok`;
}

/** "$0.0012", "$0.35", "$12.40"; "$0" for zero. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}`;
  return `$${usd.toFixed(2)}`;
}

/** "850 ms", "1.2 s", "2 min 5 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Thousands separated with a thin space: "12 345". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}
