/**
 * The webview side of the shared panel host (src/extension/panel-host.ts): the one
 * acquireVsCodeApi() call, typed posts to the host, typed messages from it, the persisted state,
 * and the ready handshake — `ready` is sent at load and again every second until the host's first
 * answer arrives, so a message sent while the view was still being wired up is not lost for good.
 */

interface VsCodeApi<W> {
  postMessage(m: W): void;
  setState(s: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi<W>(): VsCodeApi<W>;

export interface HostLink<W> {
  post(m: W): void;
  /** What the view saved with `save` before it was hidden or reloaded. */
  saved<S>(): S | undefined;
  save(s: unknown): void;
}

/**
 * Connect to the host: `onMessage` gets every host message; `answered(m)` says whether `m` ends
 * the handshake (default: the first message of any kind).
 */
export function connect<H extends { type: string }, W extends { type: string }>(
  onMessage: (m: H) => void,
  answered: (m: H) => boolean = () => true,
): HostLink<W> {
  const api = acquireVsCodeApi<W | { type: 'ready' }>();
  let done = false;
  window.addEventListener('message', (ev: MessageEvent<H>) => {
    const m = ev.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    if (!done && answered(m)) done = true;
    onMessage(m);
  });
  const ready = () => api.postMessage({ type: 'ready' });
  // Deferred: the caller's module finishes its setup (state restored, layout built) first.
  queueMicrotask(ready);
  const retry = setInterval(() => (done ? clearInterval(retry) : ready()), 1000);
  return {
    post: (m) => api.postMessage(m),
    saved: <S>() => api.getState() as S | undefined,
    save: (s) => api.setState(s),
  };
}
