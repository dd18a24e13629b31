/**
 * exec and process: shell commands in the sandbox, with OpenClaw's background continuation.
 * A command that outlives `yieldMs` (default 10 s), or is started with background=true, keeps
 * running as a session that `process` can list, poll, read (log), feed (write, send-keys, submit,
 * paste) and kill. There is no PTY here: input goes through a pipe, and `pty` is ignored.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { ToolOutput } from './fs-tools.js';
import { expandHome, remainingMs, runTool, type ToolEnv } from './tool-env.js';
import type { ExecArgs, ProcessArgs } from './tools.js';
import { truncateTail } from './truncate.js';

const DEFAULT_YIELD_MS = 10_000;
/** Combined output kept per session; older output is dropped (and counted). */
const LOG_CAP = 4 << 20;

interface Session {
  id: string;
  command: string;
  startedAt: number;
  log: string;
  dropped: number;
  /** Position in `log` (plus dropped) up to which poll has reported. */
  polled: number;
  stdin: PassThrough;
  abort: AbortController;
  timeoutSec: number;
  done: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  finished: Promise<void>;
  /** Wakes a waiting poll when output arrives. */
  wake: () => void;
}

// Key names the model may send with send-keys, as the bytes a terminal would send.
const KEYS: Record<string, string> = {
  enter: '\n', return: '\n', tab: '\t', escape: '\x1b', esc: '\x1b', space: ' ', backspace: '\x7f', bspace: '\x7f',
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', home: '\x1b[H', end: '\x1b[F', delete: '\x1b[3~',
};

function keyBytes(k: string): string {
  const named = KEYS[k.toLowerCase()];
  if (named !== undefined) return named;
  const ctrl = /^(?:C-|Ctrl-|\^)(.)$/i.exec(k);
  if (ctrl) return String.fromCharCode(ctrl[1]!.toUpperCase().charCodeAt(0) & 0x1f);
  return k;
}

export class ProcessSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly env: ToolEnv) {}

  private start(a: ExecArgs): Session {
    const id = randomBytes(4).toString('hex');
    const stdin = new PassThrough();
    const abort = new AbortController();
    const timeoutMs = Math.min(a.timeout ? a.timeout * 1000 : Infinity, remainingMs(this.env));
    const s: Session = {
      id, command: a.command, startedAt: performance.now(), log: '', dropped: 0, polled: 0, stdin, abort,
      timeoutSec: Math.round(timeoutMs / 1000), done: false, exitCode: null, signal: null, timedOut: false,
      finished: Promise.resolve(), wake: () => {},
    };
    const signal = this.env.signal ? AbortSignal.any([this.env.signal, abort.signal]) : abort.signal;
    const cwd = a.workdir ? expandHome(a.workdir).replace(/^(?!\/)/, `${this.env.mount}/`) : undefined;
    s.finished = runTool(this.env, ['bash', '-c', a.command], {
      stdin, timeoutMs, cwd, extraEnv: a.env, signal,
      onOutput: (_stream, chunk) => {
        s.log += chunk.toString('utf8');
        if (s.log.length > LOG_CAP) {
          const cut = s.log.length - LOG_CAP;
          s.log = s.log.slice(cut);
          s.dropped += cut;
        }
        s.wake();
      },
    }).then(
      (r) => {
        Object.assign(s, { done: true, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut });
        s.wake();
      },
      (e: unknown) => {
        s.log += `\n[could not run the command: ${(e as Error).message}]`;
        Object.assign(s, { done: true, exitCode: null });
        s.wake();
      },
    );
    this.sessions.set(id, s);
    return s;
  }

  private status(s: Session): string {
    if (!s.done) return `still running (${Math.round((performance.now() - s.startedAt) / 1000)} s)`;
    if (s.timedOut) return `killed after its ${s.timeoutSec} s timeout`;
    if (s.exitCode === null) return `killed${s.signal ? ` by ${s.signal}` : ''}`;
    return `exited with code ${s.exitCode}`;
  }

  private render(text: string): string {
    const t = truncateTail(text.replace(/\n$/, ''));
    const head = t.truncated ? `[Output truncated: the last ${t.lines} of ${t.totalLines} lines]\n` : '';
    return `${head}${t.text.trim() ? t.text : '(no output)'}`;
  }

  /** Output of a finished command, as the model sees it. */
  private finishedResult(s: Session): ToolOutput {
    this.sessions.delete(s.id);
    const out = this.render(s.log);
    if (s.exitCode === 0) return { text: out, isError: false, mutated: true };
    return { text: `${out}\n\n(Command ${this.status(s)})`, isError: true, mutated: true };
  }

  async exec(a: ExecArgs): Promise<ToolOutput> {
    if (a.elevated || (a.host && a.host !== 'sandbox')) {
      return { text: 'exec runs only inside this task\'s sandbox here: elevated and host/node execution are not available.', isError: true };
    }
    const s = this.start(a);
    if (a.background) {
      return { text: `Command started in the background: session ${s.id}. Use process with sessionId "${s.id}" (poll, log, write, kill).`, isError: false, mutated: true };
    }
    const yieldMs = a.yieldMs ?? DEFAULT_YIELD_MS;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([s.finished, new Promise<void>((r) => (timer = setTimeout(r, yieldMs)))]);
    clearTimeout(timer);
    if (s.done) return this.finishedResult(s);
    s.polled = s.dropped + s.log.length;
    return {
      text: `${this.render(s.log)}\n\n(Command still running after ${yieldMs} ms: session ${s.id}. Use process with sessionId "${s.id}" to poll, log, write or kill.)`,
      isError: false,
      mutated: true,
    };
  }

  async process(a: ProcessArgs): Promise<ToolOutput> {
    if (a.action === 'list') {
      if (!this.sessions.size) return { text: 'No sessions.', isError: false };
      return { text: [...this.sessions.values()].map((s) => `${s.id}  ${this.status(s)}  ${s.command}`).join('\n'), isError: false };
    }
    const known = ['poll', 'log', 'write', 'send-keys', 'submit', 'paste', 'kill'];
    if (!known.includes(a.action)) return { text: `Unknown action "${a.action}". Actions: list, ${known.join(', ')}.`, isError: true };
    if (!a.sessionId) return { text: `process ${a.action} needs a sessionId (see action "list").`, isError: true };
    const s = this.sessions.get(a.sessionId);
    if (!s) return { text: `No session "${a.sessionId}" (see action "list").`, isError: true };
    switch (a.action) {
      case 'poll': {
        const waitMs = Math.min(a.timeout ?? 0, remainingMs(this.env));
        if (!s.done && s.dropped + s.log.length === s.polled && waitMs > 0) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, waitMs);
            s.wake = () => {
              clearTimeout(t);
              r();
            };
          });
          s.wake = () => {};
        }
        const from = Math.max(0, s.polled - s.dropped);
        const fresh = s.log.slice(from);
        s.polled = s.dropped + s.log.length;
        const text = `${fresh ? this.render(fresh) : '(no new output)'}\n\n(Process ${this.status(s)})`;
        if (s.done) this.sessions.delete(s.id);
        return { text, isError: false, mutated: true };
      }
      case 'log': {
        const lines = s.log.split('\n');
        if (a.offset === undefined && a.limit === undefined) return { text: `${this.render(s.log)}\n\n(Process ${this.status(s)})`, isError: false };
        const from = a.offset ?? 0;
        const slice = lines.slice(from, a.limit ? from + a.limit : undefined).join('\n');
        return { text: `${this.render(slice)}\n\n(lines ${from}-${Math.min(lines.length, from + (a.limit ?? lines.length))} of ${lines.length}; process ${this.status(s)})`, isError: false };
      }
      case 'kill':
        if (!s.done) s.abort.abort();
        await s.finished;
        this.sessions.delete(s.id);
        return { text: `Session ${s.id} killed.`, isError: false, mutated: true };
      default: {
        if (s.done) return { text: `Session ${s.id} has ${this.status(s)}: it takes no more input.`, isError: true };
        let data = '';
        if (a.action === 'write') data = a.data ?? '';
        else if (a.action === 'submit') data = `${a.data ?? ''}\n`; // no PTY: a newline ends the line
        else if (a.action === 'paste') data = a.bracketed ? `\x1b[200~${a.text ?? ''}\x1b[201~` : (a.text ?? '');
        // send-keys: in the schema's order — keys, then hex bytes, then the literal string.
        else data = (a.keys ?? []).map(keyBytes).join('') + (a.hex ?? []).map((h) => String.fromCharCode(parseInt(h.replace(/^0x/i, ''), 16))).join('') + (a.literal ?? '');
        if (s.stdin.writable) s.stdin.write(data);
        if (a.eof) s.stdin.end();
        return { text: `Sent ${Buffer.byteLength(data)} bytes to session ${s.id}${a.eof ? ' and closed its input' : ''}.`, isError: false, mutated: true };
      }
    }
  }

  /** End every session (the agent is done). */
  async closeAll(): Promise<void> {
    for (const s of this.sessions.values()) if (!s.done) s.abort.abort();
    await Promise.all([...this.sessions.values()].map((s) => s.finished));
    this.sessions.clear();
  }
}
