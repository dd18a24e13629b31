/**
 * Follow a JSON-lines file that another process appends to (a trial's events.jsonl, a run's
 * results.jsonl): poll its size, read only the new bytes, hand over complete lines. The file may
 * not exist yet. Polling rather than fs.watch: it behaves the same on every file system.
 */
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export class JsonlTail {
  private offset = 0;
  private partial = '';
  /** Keeps a multi-byte character split across two reads whole. */
  private decoder = new StringDecoder('utf8');
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly file: string,
    private readonly onLine: (value: unknown) => void,
    private readonly intervalMs = 150,
  ) {}

  start(): this {
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return this;
  }

  /** Read whatever is new now (also used once more after the writer is known to be done). */
  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const st = await stat(this.file).catch(() => undefined);
      if (!st) return;
      if (st.size < this.offset) {
        // Truncated or replaced (a harness retry starts the trial folder again): start over.
        this.offset = 0;
        this.partial = '';
        this.decoder = new StringDecoder('utf8');
      }
      if (st.size === this.offset) return;
      const fh = await open(this.file, 'r');
      try {
        const buf = Buffer.alloc(st.size - this.offset);
        const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
        this.offset += bytesRead;
        const text = this.partial + this.decoder.write(buf.subarray(0, bytesRead));
        const lines = text.split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          try {
            this.onLine(JSON.parse(line));
          } catch {
            /* a torn or foreign line: skip it */
          }
        }
      } finally {
        await fh.close();
      }
    } finally {
      this.reading = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
