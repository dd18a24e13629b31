/** Systems & Automation: verify a backup folder against its sha256 manifest (corrupted, missing, unlisted files). */
import { createHash } from 'node:crypto';
import type { CheckInput, Family } from '../family.js';
import { voiced } from '../family.js';
import { cmp, isoDate } from './common.js';
import { HOST_PREFIXES } from './names.js';
import { say, sayEach } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const FILES: Array<[string, (r: () => string) => string]> = [
  ['etc/nginx/nginx.conf', (r) => `worker_processes ${r()};\nevents { worker_connections 1024; }\n`],
  ['etc/app/settings.ini', (r) => `[server]\nport = 80${r()}\nworkers = ${r()}\n`],
  ['db/schema.sql', (r) => `CREATE TABLE orders (id INT PRIMARY KEY, total_cents INT);\n-- rev ${r()}\n`],
  ['db/dump-part-01.sql', (r) => `INSERT INTO orders VALUES (${r()}, ${r()}00);\nINSERT INTO orders VALUES (${r()}, ${r()}50);\n`],
  ['db/dump-part-02.sql', (r) => `INSERT INTO customers VALUES (${r()}, 'acct-${r()}');\n`],
  ['www/index.html', (r) => `<!doctype html><title>Status ${r()}</title><p>All systems normal.</p>\n`],
  ['www/robots.txt', (r) => `User-agent: *\nDisallow: /admin${r()}\n`],
  ['exports/customers.csv', (r) => `id,name,plan\n${r()},Acme,pro\n${r()},Globex,free\n`],
  ['exports/invoices.csv', (r) => `invoice,amount\nINV-${r()},${r()}.00\n`],
  ['home/ops/notes.md', (r) => `# Ops notes\n- rotated keys on day ${r()}\n`],
  ['home/ops/.bashrc', (r) => `export HISTSIZE=${r()}000\nalias ll='ls -la'\n`],
  ['certs/ca-bundle.pem', (r) => `-----BEGIN CERTIFICATE-----\nMIIB${r()}QYJKoZIhvcNAQ\n-----END CERTIFICATE-----\n`],
  ['logs/app-2024.log', (r) => `INFO boot ${r()}\nWARN slow query ${r()}ms\n`],
  ['crontab/root', (r) => `${r()} 3 * * * /opt/backup.sh\n`],
  ['docs/runbook.md', (r) => `# Runbook\nRestart with systemctl restart app (${r()})\n`],
  ['config/redis.conf', (r) => `maxmemory ${r()}mb\nappendonly yes\n`],
  ['config/feature_flags.json', (r) => `{"new_checkout": ${r() > '4' ? 'true' : 'false'}, "rev": ${r()}}\n`],
  ['media/logo.svg', (r) => `<svg xmlns="http://www.w3.org/2000/svg" width="${r()}" height="32"/>\n`],
];
const SPACED = ['docs/Quarterly Report.txt', 'home/ops/todo list.md', 'exports/Price List 2024.csv'];

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export const backupManifestVerify: Family = {
  id: 'backup-manifest-verify',
  version: 1,
  category: 'Systems & Automation',
  subcategory: 'automated inspection and handling',
  summary: 'Check a backup folder against its MANIFEST.sha256 and report corrupted, missing and unlisted files as JSON.',
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const host = `${rng.pick(HOST_PREFIXES)}-${rng.pick(['prod', 'stg', 'eu', 'us'])}-${rng.int(1, 12)}`;
    const date = isoDate(rng.int(2023, 2026), rng.int(1, 12), rng.int(1, 28));
    const root = `${rng.pick(['backups', 'restore', 'mnt/backup', 'archive'])}/${host}-${date}`;
    const r = () => String(rng.int(1, 99));
    const chosen = rng.sample(FILES, Math.min(FILES.length, 5 + difficulty * 2));
    const entries = chosen.map(([p, make]) => ({ path: p, content: make(r) }));
    if (difficulty >= 5) entries.push({ path: rng.pick(SPACED), content: `line ${r()}\nline ${r()}\n` });
    const idx = rng.shuffle(entries.map((_, i) => i));
    const nMissing = 1 + (difficulty >= 3 ? rng.int(0, 1) : 0);
    const nCorrupt = 1 + rng.int(0, Math.floor(difficulty / 2));
    const missing = new Set(idx.slice(0, nMissing));
    const corrupt = new Set(idx.slice(nMissing, nMissing + nCorrupt));
    const manifestLines: string[] = [];
    if (difficulty >= 3) manifestLines.push(`# sha256 manifest for ${host} taken ${date}`, `# tool: ${rng.pick(['restic-export 0.16', 'borg 1.2 export', 'rsnapshot-hash 2.1'])}`, '');
    const workspace: Record<string, string> = {};
    for (const [i, e] of entries.entries()) {
      manifestLines.push(`${sha(e.content)} ${difficulty >= 5 && rng.chance(0.4) ? '*' : ' '}${e.path}`);
      if (missing.has(i)) continue;
      workspace[`${root}/${e.path}`] = corrupt.has(i) ? (rng.chance(0.5) ? `${e.content}${rng.pick(['# local edit\n', '\n', 'x'])}` : e.content.replace(/\d/, (d) => String((Number(d) + 1) % 10))) : e.content;
    }
    const unlisted: string[] = [];
    if (difficulty >= 2) {
      const extra = rng.sample(['tmp/.lock', 'core.1234', 'logs/debug.out', 'www/index.html.bak', 'db/dump-part-03.sql', 'notes-draft.txt'], rng.int(1, difficulty >= 4 ? 3 : 1));
      for (const x of extra) {
        if (entries.some((e) => e.path === x)) continue;
        workspace[`${root}/${x}`] = `stray ${r()}\n`;
        unlisted.push(x);
      }
    }
    workspace[`${root}/MANIFEST.sha256`] = manifestLines.join('\n') + '\n';
    const missingList = [...missing].map((i) => entries[i]!.path).sort(cmp);
    const corruptList = [...corrupt].map((i) => entries[i]!.path).sort(cmp);
    unlisted.sort(cmp);
    const okCount = entries.length - missing.size - corrupt.size;
    const out = `reports/${host}-${date}-verify.json`;
    const restore = `reports/${host}-restore-list.txt`;

    const ask = say(rng, [
      'Before we trust the {date} backup of {host}, please verify `{root}/` against its `MANIFEST.sha256`.',
      'Can you check the integrity of the backup in `{root}`? The manifest lists a SHA-256 for every file.',
      'I restored {host}’s snapshot from {date} into `{root}/` — please compare it with the checksum manifest inside.',
      'Integrity audit: the folder `{root}` should match `MANIFEST.sha256` exactly. Find out where it does not.',
      'Our backup job for {host} ran on {date}; verify every checksum in `{root}/MANIFEST.sha256` and tell me what is wrong.',
    ], { date, host, root });
    const b = rng.pick(['- ', '* ']);
    const fields = [
      ['`checked`: how many files the manifest lists', '`checked` — number of manifest entries', '`checked` (integer): entries in the manifest'],
      ['`ok`: how many of them match', '`ok` — entries whose file exists with the right hash', '`ok` (integer): files that verified'],
      ['`corrupted`: paths whose content no longer matches', '`corrupted` — files present but with a different SHA-256', '`corrupted`: listed files with a wrong checksum'],
      ['`missing`: listed paths that are not there', '`missing` — manifest entries with no file', '`missing`: paths in the manifest that do not exist'],
    ];
    if (difficulty >= 2) fields.push(['`unlisted`: files in the folder that the manifest does not mention (not the manifest itself)', '`unlisted` — extra files not in the manifest (ignore MANIFEST.sha256)', '`unlisted`: stray files the manifest does not cover, manifest excluded']);
    const details = [
      say(rng, ['Write `{out}` with:', 'Report in `{out}` (JSON):', 'Save the findings to `{out}`:'], { out }),
      ...sayEach(rng, fields).map((l) => b + l),
      say(rng, ['Paths are relative to the backup folder, as written in the manifest; lists sorted.', 'Use manifest-style relative paths and sort every list.', 'All paths relative to `{root}`, sorted.'], { root }),
    ];
    if (difficulty >= 3) details.push(say(rng, ['The manifest has comment lines starting with `#`.', 'Skip the `#` comments in the manifest.']));
    if (difficulty >= 4) details.push(say(rng, ['Also write `{restore}`: every corrupted or missing path, sorted, one per line — those we restore from the older copy.', 'Then list the files to pull from the previous backup (corrupted + missing, sorted) in `{restore}`, one path a line.'], { restore }));
    if (difficulty >= 5) details.push(say(rng, ['Careful: some lines use the binary-mode marker (`<hash> *path`), and one file name has a space.', 'Note the `*` binary marker on some manifest lines and a path containing a space.']));
    const instruction = voiced(ctx, ask, details);

    const checks: CheckInput[] = [
      { id: 'checked', type: 'json_path', path: out, query: '$.checked', equals: entries.length },
      { id: 'ok', type: 'json_path', path: out, query: '$.ok', equals: okCount },
      { id: 'corrupted', type: 'json_path', path: out, query: '$.corrupted', equals: corruptList },
      { id: 'missing', type: 'json_path', path: out, query: '$.missing', equals: missingList },
    ];
    if (difficulty >= 2) checks.push({ id: 'unlisted', type: 'json_path', path: out, query: '$.unlisted', equals: unlisted });
    if (difficulty >= 4) checks.push({ id: 'restore_list', type: 'text_equals', path: restore, text: [...missingList, ...corruptList].sort(cmp).join('\n') + '\n' });
    checks.push({ id: 'manifest_untouched', type: 'file_unchanged', path: `${root}/MANIFEST.sha256`, weight: 0 });

    const solution = pyOracle(String.raw`
root = ${JSON.stringify(root)}
listed = []
for line in open(os.path.join(root, "MANIFEST.sha256")):
    m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line.rstrip("\n"))
    if m:
        listed.append((m.group(1), m.group(2)))
ok, bad, gone = 0, [], []
for h, p in listed:
    f = os.path.join(root, p)
    if not os.path.isfile(f):
        gone.append(p)
    elif hashlib.sha256(open(f, "rb").read()).hexdigest() != h:
        bad.append(p)
    else:
        ok += 1
names = {p for _, p in listed}
extra = []
for d, _, fs in os.walk(root):
    for fn in fs:
        rel = os.path.relpath(os.path.join(d, fn), root)
        if rel != "MANIFEST.sha256" and rel not in names:
            extra.append(rel)
rep = {"checked": len(listed), "ok": ok, "corrupted": sorted(bad), "missing": sorted(gone)}
if ${difficulty >= 2 ? 'True' : 'False'}:
    rep["unlisted"] = sorted(extra)
os.makedirs("reports", exist_ok=True)
json.dump(rep, open(${JSON.stringify(out)}, "w"), indent=2)
if ${difficulty >= 4 ? 'True' : 'False'}:
    open(${JSON.stringify(restore)}, "w").write("".join(p + "\n" for p in sorted(bad + gone)))
`);
    return {
      title: `Verify backup ${host} ${date}`,
      instruction,
      workspace,
      solution,
      checks,
      operations: ['inspect files and directories', 'run scripts or command-line programs', 'write structured results to local files'],
      tags: ['backup', 'checksums'],
    };
  },
};
