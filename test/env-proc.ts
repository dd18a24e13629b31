/** `clawgym serve env` as a test runs it: a real server process on a free port, its token read from the listening line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, ROOT } from './helpers.ts';

export class EnvProc {
  readonly child: ChildProcess;
  url = '';
  token = '';
  stderr = '';
  readonly ready: Promise<void>;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI, 'serve', 'env', '--port', '0', '--json', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    this.child.stderr!.on('data', (c) => (this.stderr += c));
    this.ready = new Promise((resolve, reject) => {
      let out = '';
      this.child.stdout!.on('data', (c) => {
        out += c;
        if (!this.url && out.includes('\n')) {
          const line = JSON.parse(out.split('\n')[0]!);
          this.url = line.url;
          this.token = line.token ?? '';
          resolve();
        }
      });
      this.child.once('exit', (code) => reject(new Error(`serve env exited ${code}: ${this.stderr}`)));
    });
  }

  get auth(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  async post(path: string, body: unknown, headers: Record<string, string> = this.auth): Promise<{ status: number; headers: Headers; json: any; text: string }> {
    const r = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await r.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json, text };
  }

  async get(path: string, headers: Record<string, string> = this.auth): Promise<any> {
    return (await fetch(`${this.url}${path}`, { headers })).json();
  }

  /** The server process ends (SIGTERM: it closes every episode first). */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill(signal);
    return exited;
  }
}
