/** Systems & Automation: read a crontab and report how often each job runs per day and when it first/last fires. */
import type { Family, FamilyOutput } from '../family.js';
import { voiced } from '../family.js';
import { hhmm } from './calendar.js';
import { cmp } from './common.js';
import { csvQuoteAll, on, ruleMutants, shortcutMutant, variantMutant, type KitExtras, type KitRule } from './mutant-kit.js';
import { HOST_PREFIXES } from './names.js';
import { say, sayEach } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const SCRIPTS = [
  'backup_db.sh', 'rotate_logs.sh', 'sync_assets.sh', 'purge_tmp.sh', 'renew_certs.sh', 'refresh_cache.py', 'send_digest.py', 'export_metrics.py',
  'vacuum_tables.sh', 'check_disk.sh', 'pull_feeds.py', 'reindex_search.sh', 'snapshot_volumes.sh', 'prune_images.sh', 'report_usage.py',
  'heartbeat.sh', 'archive_mail.py', 'import_orders.py', 'compact_queue.sh', 'scan_uploads.sh', 'rebuild_sitemap.py', 'expire_sessions.py',
  'ship_audit_log.sh', 'warm_cdn.sh', 'reconcile_ledger.py', 'poll_webhooks.py', 'trim_journal.sh', 'fetch_rates.py',
];
const DIRS = ['/opt/ops/bin', '/usr/local/sbin', '/srv/app/scripts', '/home/deploy/cron', '/opt/jobs'];
const ARGS = ['', ' --quiet', ' --full', ' --dry-run=false', ' -v', ' --env prod', ' --since 1d', ' --batch 500'];

function expand(f: string, lo: number, hi: number): number[] {
  const out = new Set<number>();
  for (let part of f.split(',')) {
    let step = 1;
    if (part.includes('/')) {
      const [a, s] = part.split('/');
      part = a!;
      step = Number(s);
    }
    let a: number;
    let b: number;
    if (part === '*') [a, b] = [lo, hi];
    else if (part.includes('-')) [a, b] = part.split('-').map(Number) as [number, number];
    else a = b = Number(part);
    for (let v = a; v <= b; v += step) out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

export const crontabScheduleReport: Family = {
  id: 'crontab-schedule-report',
  version: 2,
  category: 'Systems & Automation',
  subcategory: 'scheduled task execution',
  summary: 'Parse a crontab and report each active job’s runs per day and first (and last) run time as CSV.',
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const host = `${rng.pick(HOST_PREFIXES)}${rng.int(1, 30)}`;
    const user = rng.pick(['deploy', 'ops', 'root', 'www-data', 'backup', 'svc-batch']);
    const nJobs = 3 + difficulty * 2;
    const scripts = rng.sample(SCRIPTS, nJobs + 2);
    const minuteSpec = (): string => {
      const r = rng.next();
      if (difficulty >= 3 && r < 0.3) return `*/${rng.pick([5, 10, 15, 20, 30])}`;
      if (difficulty >= 2 && r < 0.55) {
        const k = rng.int(2, 3);
        return rng.sample([0, 5, 10, 15, 20, 30, 40, 45, 50], k).sort((a, b) => a - b).join(',');
      }
      if (difficulty >= 4 && r < 0.65) {
        const a = rng.int(0, 40);
        return `${a}-${a + rng.int(5, 15)}${rng.chance(0.5) ? `/${rng.pick([2, 5])}` : ''}`;
      }
      return String(rng.int(0, 59));
    };
    const hourSpec = (): string => {
      const r = rng.next();
      if (r < 0.18) return '*';
      if (difficulty >= 3 && r < 0.4) return `*/${rng.pick([2, 3, 4, 6, 8, 12])}`;
      if (difficulty >= 2 && r < 0.6) return rng.sample([0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 22, 23], rng.int(2, 3)).sort((a, b) => a - b).join(',');
      if (difficulty >= 4 && r < 0.75) {
        const a = rng.int(6, 10);
        return `${a}-${a + rng.int(6, 10)}${rng.chance(0.4) ? '/2' : ''}`;
      }
      return String(rng.int(0, 23));
    };
    const lines: string[] = [`# crontab for ${user}@${host}`, `# edit with: crontab -e -u ${user}`];
    if (difficulty >= 5) lines.push(`SHELL=/bin/bash`, `MAILTO=${rng.pick(['ops', 'alerts', 'sre'])}@${rng.pick(['example.com', 'corp.internal', 'acme.io'])}`, 'PATH=/usr/local/bin:/usr/bin:/bin');
    lines.push('');
    const rows: Array<{ job: string; runs: number; first: string; last: string }> = [];
    // Witnesses: the first two jobs run once a day each (a tie), listed in reverse name order; the last runs every hour.
    if (cmp(scripts[0]!, scripts[1]!) < 0) [scripts[0], scripts[1]] = [scripts[1]!, scripts[0]!];
    for (let i = 0; i < nJobs; i++) {
      const script = scripts[i]!;
      const cmd = `${rng.pick(DIRS)}/${script}${rng.pick(ARGS)}${rng.chance(0.5) ? ` >> /var/log/${script.replace(/\.\w+$/, '')}.log 2>&1` : ''}`;
      let m: number[];
      let h: number[];
      if (rng.chance(0.3)) lines.push(`# ${rng.pick(['nightly', 'keeps the disk tidy', 'see runbook', 'added by ops', 'ticket OPS-' + rng.int(100, 999)])}`);
      if (difficulty >= 5 && (i === 2 || (i > 2 && i < nJobs - 1 && rng.chance(0.25)))) {
        const macro = rng.pick(['@hourly', '@daily', '@midnight']);
        lines.push(`${macro} ${cmd}`);
        m = [0];
        h = macro === '@hourly' ? expand('*', 0, 23) : [0];
      } else {
        const ms = i < 2 || i === nJobs - 1 ? String(rng.int(0, 59)) : minuteSpec();
        const hs = i < 2 ? String(rng.int(0, 23)) : i === nJobs - 1 ? '*' : hourSpec();
        lines.push(`${ms} ${hs} * * * ${cmd}`);
        m = expand(ms, 0, 59);
        h = expand(hs, 0, 23);
      }
      rows.push({ job: script, runs: m.length * h.length, first: hhmm(h[0]! * 60 + m[0]!), last: hhmm(h[h.length - 1]! * 60 + m[m.length - 1]!) });
    }
    if (difficulty >= 4) {
      // Disabled jobs stay in the file as comments.
      for (const script of scripts.slice(nJobs)) lines.splice(rng.int(3, lines.length), 0, `#${rng.pick(['', ' '])}${rng.int(0, 59)} ${rng.int(0, 23)} * * * ${rng.pick(DIRS)}/${script}`);
    }
    rows.sort((a, b) => b.runs - a.runs || cmp(a.job, b.job));
    const cronPath = `cron/${user}@${host}.crontab`;
    const out = `reports/${host}-cron-schedule.csv`;
    const cols = difficulty >= 3 ? ['job', 'runs_per_day', 'first_run', 'last_run'] : ['job', 'runs_per_day', 'first_run'];

    const ask = say(rng, [
      'I inherited the crontab of {user} on {host} (`{cron}`) and I want to understand how busy it is.',
      'Could you go through `{cron}` and work out how often each job fires in a day?',
      'We are moving {host} to a new scheduler. Please inventory the jobs in `{cron}` first.',
      'Audit time for {host}: I need a per-job run count from the crontab at `{cron}`.',
      'Please read the {user} crontab from {host} (saved as `{cron}`) and summarise each job’s daily schedule.',
    ], { user, host, cron: cronPath });
    const b = rng.pick(['- ', '* ']);
    const head = say(rng, ['Write `{out}` with the header `{cols}`:', 'Save a CSV to `{out}` (header `{cols}`):', 'Expected output: `{out}`, columns `{cols}`.'], { out, cols: cols.join(',') });
    const [jobText, runsText, firstText] = sayEach(rng, [
      ['`job` is the script file name without its directory (e.g. `{ex}`)', '`job` = the basename of the script being run, like `{ex}`', 'for `job` use only the script’s file name — `{ex}`, not the full path'],
      ['`runs_per_day` counts how many times the entry fires in 24 hours', '`runs_per_day` is the number of executions per day', '`runs_per_day`: executions in one full day'],
      ['`first_run` is the earliest time of day it runs, as HH:MM', '`first_run` — first firing after midnight (HH:MM, 24h)', '`first_run`: the earliest HH:MM it fires'],
    ], { ex: scripts[0]! }).map((l) => b + l);
    const ruleSet: KitRule[] = [
      { id: 'job-basename', text: jobText! },
      { id: 'runs-per-day', text: runsText! },
      { id: 'first-run', text: firstText! },
    ];
    const details = [head, jobText!, runsText!, firstText!];
    const stated = (text: string, ...ids: string[]) => {
      details.push(text);
      for (const id of ids) ruleSet.push({ id, text });
    };
    if (difficulty >= 3) stated(b + say(rng, ['`last_run` is the latest time of day it runs (HH:MM)', '`last_run` — the last firing before midnight, HH:MM']), 'last-run');
    stated(b + say(rng, ['sort by `runs_per_day`, highest first; ties by `job` A→Z', 'busiest jobs first (by runs_per_day), then alphabetical by job', 'order rows by runs_per_day descending and break ties on the job name']), 'sort-by-runs', 'ties-by-job');
    if (difficulty >= 4) stated(b + say(rng, ['commented-out entries are disabled — skip them', 'ignore jobs that are commented out', 'lines starting with `#` are not active jobs']), 'skip-commented');
    if (difficulty >= 5) stated(b + say(rng, ['environment lines (`NAME=value`) are not jobs; `@hourly` means minute 0 of every hour and `@daily`/`@midnight` 00:00', 'treat `@hourly` as `0 * * * *` and `@daily`/`@midnight` as `0 0 * * *`; variable assignments are not jobs']), 'env-lines-not-jobs', 'macros');
    const instruction = voiced(ctx, ask, details);
    const oracle = (ig: ReadonlySet<string>) => pyOracle(String.raw`
def expand(f, lo, hi):
    out = set()
    for part in f.split(","):
        step = 1
        if "/" in part:
            part, s = part.split("/")
            step = int(s)
        if part == "*":
            a, b = lo, hi
        elif "-" in part:
            a, b = map(int, part.split("-"))
        else:
            a = b = int(part)
        out.update(range(a, b + 1, step))
    return sorted(out)
macros = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *"}
rows = []
for line in open(${JSON.stringify(cronPath)}):
    line = line.strip()
    if not ${on(ig, 'skip-commented', difficulty >= 4)} and re.match(r"^#\s*\d", line):
        line = line.lstrip("# ")
    if not line or line.startswith("#"):
        continue
    if re.match(r"^[A-Za-z_]+=", line):
        if not ${on(ig, 'env-lines-not-jobs', difficulty >= 5)}:
            rows.append((line.split("=")[0], 1, "00:00", "00:00"))
        continue
    parts = line.split()
    if parts[0] in macros:
        if not ${on(ig, 'macros', difficulty >= 5)}:
            continue
        fields, cmd = macros[parts[0]].split(), parts[1]
    else:
        fields, cmd = parts[:5], parts[5]
    m, h = expand(fields[0], 0, 59), expand(fields[1], 0, 23)
    first, last = "%02d:%02d" % (h[0], m[0]), "%02d:%02d" % (h[-1], m[-1])
    rows.append((os.path.basename(cmd) if ${on(ig, 'job-basename')} else cmd, len(m) * len(h) if ${on(ig, 'runs-per-day')} else 1, first if ${on(ig, 'first-run')} else last, last if ${on(ig, 'last-run', difficulty >= 3)} else first))
if ${on(ig, 'sort-by-runs')}:
    rows.sort(key=lambda r: (-r[1], r[0]) if ${on(ig, 'ties-by-job')} else -r[1])
cols = ${JSON.stringify(cols)}
os.makedirs("reports", exist_ok=True)
with open(${JSON.stringify(out)}, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(r[: len(cols)])
`);
    const solution = oracle(new Set());
    const mutants = [
      ...ruleMutants(ruleSet, oracle),
      shortcutMutant('one-run-each', 'one row per entry in file order, each counted as running once', oracle(new Set(['runs-per-day', 'sort-by-runs']))),
      variantMutant('quoted-crlf', 'every CSV field quoted, CRLF line endings', solution, csvQuoteAll([out])),
    ];
    const result: FamilyOutput & KitExtras = {
      title: `Cron schedule report for ${user}@${host}`,
      instruction,
      workspace: { [cronPath]: lines.join('\n') + '\n' },
      solution,
      rules: ruleSet,
      mutants,
      checks: [
        { id: 'csv_shape', type: 'csv', path: out, columns: cols, row_count: rows.length },
        {
          id: 'csv_rows',
          type: 'csv',
          path: out,
          cells: rows.flatMap((r, row) => [
            { row, column: 'job', equals: r.job },
            { row, column: 'runs_per_day', equals: r.runs },
            { row, column: 'first_run', equals: r.first },
            ...(difficulty >= 3 ? [{ row, column: 'last_run', equals: r.last }] : []),
          ]),
        },
        { id: 'sorted', type: 'csv', path: out, sorted_by: { column: 'runs_per_day', order: 'desc', numeric: true } },
        { id: 'crontab_untouched', type: 'file_unchanged', path: cronPath, weight: 0 },
      ],
      operations: ['inspect code or configuration files', 'extract structured data from files or web content', 'filter, sort, and rank records'],
      tags: ['cron'],
    };
    return result;
  },
};
