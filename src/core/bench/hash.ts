/**
 * The content hash of a task folder: every file's path, executable bit and bytes, in path order.
 * Any edit (a byte, a rename, a new or deleted file, a solve.sh losing +x) changes it; copying
 * the folder elsewhere or touching mtimes does not.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { listDir } from '../task/fileset.js';

export interface FolderHash {
  /** "sha256:<hex>". */
  hash: string;
  files: number;
}

async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function hashFolder(dir: string): Promise<FolderHash> {
  const files = await listDir(dir);
  const h = createHash('sha256');
  for (const f of files) {
    // Only the executable bit: other permission bits follow the umask of whoever copied the folder.
    const exec = (f.mode ?? 0) & 0o111 ? 'x' : '-';
    h.update(`${f.path}\0${exec}\0${await fileDigest(f.from!)}\n`);
  }
  return { hash: `sha256:${h.digest('hex')}`, files: files.length };
}
