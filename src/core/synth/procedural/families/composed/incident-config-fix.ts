/**
 * Systems & Automation: triage a service's logs across rotations (only since the last deploy) →
 * size the config value the runbook prescribes from what the logs show → patch the YAML config
 * (nothing else in it changes) → run the project's config check → write the incident note.
 */
import type { CheckInput, Family } from '../../family.js';
import type { Rng } from '../../../../rng.js';
import { clutter, iso, pad2, put, py, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';

const SERVICES = ['checkout-api', 'orders-api', 'billing-worker', 'profile-service', 'search-gateway', 'inventory-api'];
const ROUTES = ['/api/cart', '/api/orders', '/api/items', '/api/session', '/api/quote', '/healthz'];

interface Cause {
  key: string; // dotted YAML path
  line: (v: number, size: number) => string;
  /** The value the logs demand for one error line. */
  demand: (v: number, size: number) => number;
  round: number;
  rule: string;
  current: number;
}
const CAUSES: Record<'pool' | 'timeout', Cause> = {
  pool: {
    key: 'db.pool_size',
    line: (v, size) => `ERROR db: connection pool exhausted (pool_size=${size}, waiting=${v})`,
    demand: (v, size) => v + size,
    round: 5,
    rule: '`db.pool_size` must cover the worst moment: the largest `pool_size + waiting` among the errors, rounded up to a multiple of 5.',
    current: 10,
  },
  timeout: {
    key: 'upstream.timeout_ms',
    line: (v, size) => `ERROR upstream: payments call timed out after ${size}ms (observed p99=${v}ms)`,
    demand: (v) => Math.ceil(v * 1.5),
    round: 100,
    rule: '`upstream.timeout_ms` must be 1.5 × the largest observed p99 among the errors, rounded up to a multiple of 100.',
    current: 800,
  },
};

interface Line {
  t: number; // seconds since the day's midnight of day 0
  text: string;
  svc: string;
  err?: { kind: 'pool' | 'timeout'; v: number };
}

function stamp(y: number, m: number, d0: number, t: number): string {
  const day = d0 + Math.floor(t / 86_400);
  const s = t % 86_400;
  return `${iso(y, m, day)}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}Z`;
}

function noise(rng: Rng, t: number, svc: string): Line {
  return rng.chance(0.85)
    ? { t, svc, text: `INFO http: GET ${rng.pick(ROUTES)} 200 ${rng.int(3, 240)}ms` }
    : { t, svc, text: `WARN http: slow request ${rng.pick(ROUTES)} took ${rng.int(900, 2500)}ms` };
}

export const incidentConfigFix: Family = {
  id: 'incident-config-fix',
  version: 1,
  category: 'Systems & Automation',
  subcategory: 'incident response and reliability',
  summary: 'Triage rotated service logs since the last deploy, size and patch the config value the runbook prescribes, run the config check, write the incident note.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const svc = rng.pick(SERVICES);
    const kind = rng.pick(['pool', 'timeout'] as const);
    const herring = kind === 'pool' ? 'timeout' : 'pool';
    const cause = CAUSES[kind];
    const y = rng.int(2023, 2025);
    const m = rng.int(1, 12);
    const d0 = rng.int(2, 20);
    const deploy = 86_400 + rng.int(9, 15) * 3600 + rng.int(0, 59) * 60; // day 1, office hours
    const size = cause.current;
    const errVal = (hi: boolean) => (kind === 'pool' ? rng.int(hi ? 8 : 2, hi ? 26 : 7) : rng.int(hi ? 1200 : 700, hi ? 2600 : 1100));
    const lines: Line[] = [];
    // Before the deploy: a few errors of the real kind (small) and of the other kind, already fixed.
    let t = deploy - rng.int(8, 14) * 3600;
    while (t < deploy) {
      lines.push(rng.chance(0.08) ? { t, svc, text: '', err: { kind: rng.chance(0.5) ? herring : kind, v: 0 } } : noise(rng, t, svc));
      t += rng.int(60, 400);
    }
    const nErr = 4 + d * 3;
    const end = deploy + rng.int(3, 7) * 3600;
    t = deploy + rng.int(120, 900);
    let k = 0;
    while (t < end || k < nErr) {
      if (k < nErr && rng.chance(0.25)) {
        lines.push({ t, svc, text: '', err: { kind, v: 0 } });
        k++;
      } else lines.push(noise(rng, t, svc));
      t += rng.int(30, 300);
    }
    // Values: the incident's errors are large, the peak falls in the older rotation (log.1).
    const windowErrs = lines.filter((l) => l.err && l.t > deploy);
    const rotateAt = windowErrs[Math.floor(windowErrs.length / 2)]!.t; // log.1 ends here
    for (const l of lines) {
      if (!l.err) continue;
      const inWin = l.t > deploy;
      l.err.v = l.err.kind === kind ? errVal(inWin) : kind === 'pool' ? rng.int(900, 1500) : rng.int(3, 9);
      l.text = CAUSES[l.err.kind].line(l.err.v, CAUSES[l.err.kind].current);
    }
    const peakLine = windowErrs.filter((l) => l.t <= rotateAt)[0]!;
    peakLine.err!.v = kind === 'pool' ? rng.int(30, 44) : rng.int(2700, 3900);
    peakLine.text = cause.line(peakLine.err!.v, size);
    const roundUp = (x: number) => Math.ceil(x / cause.round) * cause.round;
    const need = (errs: Line[]) => {
      const raw = Math.max(...errs.map((l) => cause.demand(l.err!.v, size)));
      return { raw, value: roundUp(raw) };
    };
    // A value the rounding changes, so the rounding rule has a witness.
    if (need(windowErrs).raw % cause.round === 0) {
      peakLine.err!.v += 1;
      peakLine.text = cause.line(peakLine.err!.v, size);
    }
    const rotateStart = lines[0]!.t + Math.floor((deploy - lines[0]!.t) / 3); // log.2 | log.1 boundary, before the deploy
    const fmt = (l: Line) => `${stamp(y, m, d0, l.t)} ${l.text}`;
    const log2 = lines.filter((l) => l.t < rotateStart);
    const log1 = lines.filter((l) => l.t >= rotateStart && l.t <= rotateAt);
    const log0 = lines.filter((l) => l.t > rotateAt);
    const files: Record<string, string> = {
      [`logs/${svc}.log`]: log0.map(fmt).join('\n') + '\n',
      [`logs/${svc}.log.1`]: log1.map(fmt).join('\n') + '\n',
      [`logs/${svc}.log.2`]: log2.map(fmt).join('\n') + '\n',
    };
    // An old incident in the archive, with bigger numbers that would skew the sizing.
    const archived = Array.from({ length: 5 }, (_, i) => {
      const v = kind === 'pool' ? rng.int(60, 90) : rng.int(5000, 7000);
      return `${iso(y - 1, m, d0)}T0${i + 1}:1${i}:0${i}Z ${cause.line(v, size)}`;
    });
    files[`logs/archive/${svc}-${y - 1}-${pad2(m)}.log`] = archived.join('\n') + '\n';
    const others = d >= 3 ? rng.sample(SERVICES.filter((s) => s !== svc), d >= 5 ? 2 : 1) : [];
    for (const o of others) {
      const ol: string[] = [];
      for (let i = 0; i < 40 + d * 10; i++) {
        const tt = deploy + i * rng.int(100, 500);
        ol.push(rng.chance(0.15) ? `${stamp(y, m, d0, tt)} ${cause.line(kind === 'pool' ? rng.int(50, 80) : rng.int(4000, 6000), size)}` : `${stamp(y, m, d0, tt)} ${noise(rng, tt, o).text}`);
      }
      files[`logs/${o}.log`] = ol.join('\n') + '\n';
    }
    const truth = need(windowErrs);
    const deployStamp = stamp(y, m, d0, deploy);
    files['ops/deploys.csv'] = `deployed_at,service,version\n${stamp(y, m, d0, deploy - 6 * 86_400 + 3600)},${svc},1.${rng.int(10, 19)}.0\n${stamp(y, m, d0, deploy - 3 * 86_400)},${others[0] ?? 'search-gateway'},2.${rng.int(0, 9)}.1\n${deployStamp},${svc},1.${rng.int(20, 29)}.0\n`;

    const cfgLines = [
      `# ${svc} — owned by the platform team; reviewed in every incident`,
      `service: ${svc}`,
      'listen: 0.0.0.0:8080',
      'db:',
      '  host: db.internal',
      `  pool_size: ${CAUSES.pool.current}   # connections per instance`,
      '  timeout_ms: 2000',
      'upstream:',
      '  payments_url: http://payments.internal',
      `  timeout_ms: ${CAUSES.timeout.current}   # per call`,
      '  retries: 1',
      'cache:',
      `  ttl_s: ${rng.pick([60, 120, 300])}`,
      `log_level: ${rng.pick(['info', 'warn'])}`,
    ];
    const cfgPath = `config/${svc}.yaml`;
    const keyLeaf = cause.key.split('.')[1]!;
    const keyIdx = cfgLines.findIndex((l, i) => l.trimStart().startsWith(`${keyLeaf}:`) && cfgLines.slice(0, i).reverse().find((x) => !x.startsWith(' '))!.startsWith(cause.key.split('.')[0]!));
    const patched = (v: number) => cfgLines.map((l, i) => (i === keyIdx ? l.replace(/: \d+/, `: ${v}`) : l)).join('\n') + '\n';
    files[cfgPath] = cfgLines.join('\n') + '\n';
    files[`config/${svc}.yaml.bak`] = patched(cause.current + cause.round).replace('retries: 1', 'retries: 3');
    files['scripts/check_config.py'] = `#!/usr/bin/env python3
"""Sanity-check a service config and record the result in ops/config_check.json.

Usage: python3 scripts/check_config.py config/<service>.yaml
"""
import json
import re
import sys

path = sys.argv[1]
values = {}
section = None
for line in open(path):
    line = line.split("#", 1)[0].rstrip()
    if not line:
        continue
    m = re.match(r"^(\\s*)([a-z_]+):\\s*(.*)$", line)
    if not m:
        continue
    indent, key, val = m.groups()
    if not indent:
        section = key
    if val.isdigit():
        values[f"{section}.{key}" if indent else key] = int(val)
problems = []
if values.get("db.pool_size", 0) % 5 or not 5 <= values.get("db.pool_size", 0) <= 100:
    problems.append("db.pool_size must be a multiple of 5 between 5 and 100")
if values.get("upstream.timeout_ms", 0) % 100 or not 100 <= values.get("upstream.timeout_ms", 0) <= 10000:
    problems.append("upstream.timeout_ms must be a multiple of 100 between 100 and 10000")
result = {"config": path, "ok": not problems, "problems": problems, "values": values}
with open("ops/config_check.json", "w") as f:
    json.dump(result, f, indent=2)
print("OK" if not problems else "\\n".join(problems))
sys.exit(0 if not problems else 1)
`;
    files['docs/runbook.md'] = `# ${svc} runbook\n\n## Sizing after an incident\n\n- ${CAUSES.pool.rule}\n- ${CAUSES.timeout.rule}\n- Size from the incident itself: the errors since the last deploy of the service (\`ops/deploys.csv\`), across the current log and its rotations. \`logs/archive/\` holds past incidents.\n\nAfter a change, run \`python3 scripts/check_config.py ${cfgPath}\` — it records its verdict in \`ops/config_check.json\`.\n`;
    files['incidents/TEMPLATE.md'] = '# Incident: <service> <date>\n\n- start: <first error, as in the log>\n- end: <last error, as in the log>\n- errors: <ERROR lines since the deploy>\n- cause: <config key>\n- change: <key> <old> -> <new>\n';
    files[`incidents/${iso(y - 1, m, d0)}-${svc}.md`] = `# Incident: ${svc} ${iso(y - 1, m, d0)}\n\n- start: ${archived[0]!.split(' ')[0]}\n- end: ${archived[4]!.split(' ')[0]}\n- errors: 5\n- cause: ${cause.key}\n- change: ${cause.key} ${cause.current - cause.round} -> ${cause.current}\n`;
    Object.assign(files, clutter(rng, d));

    const notePath = `incidents/${iso(y, m, d0 + 1)}-${svc}.md`;
    type Skip = 'window' | 'rotated' | 'archive' | 'sizing' | 'service';
    const compute = (skip: ReadonlySet<Skip>) => {
      let errs = skip.has('window') ? lines.filter((l) => l.err) : windowErrs;
      if (skip.has('rotated')) errs = errs.filter((l) => l.t > rotateAt);
      const raw = Math.max(...errs.filter((l) => l.err!.kind === kind).map((l) => cause.demand(l.err!.v, size)));
      let value = skip.has('sizing') ? raw : roundUp(raw);
      const extra = skip.has('archive') ? 5 : 0;
      if (skip.has('archive')) value = roundUp(Math.max(raw, ...archived.map((a) => cause.demand(Number(/(?:waiting|p99)=(\d+)/.exec(a)![1]), size))));
      const svcExtra = skip.has('service') ? others.reduce((a, o) => a + files[`logs/${o}.log`]!.split('\n').filter((x) => x.includes(' ERROR ')).length, 0) : 0;
      return { value, count: errs.length + extra + svcExtra, start: skip.has('archive') ? archived[0]!.split(' ')[0]! : stamp(y, m, d0, errs[0]!.t), end: stamp(y, m, d0, errs[errs.length - 1]!.t) };
    };
    const note = (r: ReturnType<typeof compute>, loose = false) =>
      loose
        ? `# Incident: ${svc} ${iso(y, m, d0 + 1)}\n\nSummary: ${cause.key} was too small for the load after the deploy.\n\n* start:   ${r.start}\n* end:   ${r.end}\n* errors:  ${r.count}\n* cause:  \`${cause.key}\`\n* change:  ${cause.key} ${cause.current} -> ${r.value}\n\nFollow-up: add an alert.\n`
        : `# Incident: ${svc} ${iso(y, m, d0 + 1)}\n\n- start: ${r.start}\n- end: ${r.end}\n- errors: ${r.count}\n- cause: ${cause.key}\n- change: ${cause.key} ${cause.current} -> ${r.value}\n`;
    const solve = (skip: ReadonlySet<Skip>, o: { rewrite?: boolean; noCheck?: boolean; loose?: boolean; bak?: boolean } = {}) => {
      const r = compute(skip);
      return sh(
        o.bak ? `cp ${cfgPath}.bak ${cfgPath}\n` : '',
        o.rewrite ? put(cfgPath, patched(r.value).split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/\s+#.*$/, '')).join('\n')) : py(`p = ${JSON.stringify(cfgPath)}\nlines = open(p).read().split("\\n")\nlines[${keyIdx}] = re.sub(r": \\d+", ": ${r.value}", lines[${keyIdx}], count=1)\nopen(p, "w").write("\\n".join(lines))`),
        o.noCheck ? '' : `python3 scripts/check_config.py ${cfgPath}\n`,
        put(notePath, note(r, o.loose)),
      );
    };
    const none = new Set<Skip>();
    const rules: Rule[] = [
      { id: 'window', text: 'Only errors since the last deploy of the service count (earlier ones are a fixed issue).' },
      { id: 'rotated', text: 'The incident spans the current log and its rotations (.log.1).' },
      { id: 'archive', text: 'logs/archive/ holds past incidents and is not part of this one.' },
      { id: 'sizing', text: cause.rule },
      { id: 'keep-config', text: 'Only that one value changes in the config; comments and the rest stay.' },
      { id: 'stale-bak', text: 'The .bak copy of the config is stale; the fix goes on the live config.' },
    ];
    if (others.length) rules.push({ id: 'service', text: `Only ${svc}'s logs count; logs/ also holds other services' logs.` });
    const r0 = compute(none);
    const checks: CheckInput[] = [
      { id: 'config_value', type: 'yaml_path', path: cfgPath, query: `$.${cause.key}`, equals: truth.value, weight: 2 },
      {
        id: 'config_rest_kept',
        type: 'command',
        run: py(`got = open(${JSON.stringify(cfgPath)}).read().split("\\n")\nwant = ${JSON.stringify(patched(truth.value))}.split("\\n")\nnorm = lambda xs: [" ".join(x.split()) for x in xs if x.strip()]\nassert norm(got) == norm(want), "config differs beyond the one value"`),
        description: 'only the one value changed in the config',
      },
      { id: 'check_ran', type: 'json_path', path: 'ops/config_check.json', query: `$.values['${cause.key}']`, equals: truth.value },
      { id: 'check_ok', type: 'json_path', path: 'ops/config_check.json', query: '$.ok', equals: true },
      { id: 'note_start', type: 'text_matches', path: notePath, pattern: `start:\\s*${r0.start}\\b` },
      { id: 'note_end', type: 'text_matches', path: notePath, pattern: `end:\\s*${r0.end}\\b` },
      { id: 'note_errors', type: 'text_matches', path: notePath, pattern: `errors:\\s*${r0.count}\\b` },
      { id: 'note_change', type: 'text_matches', path: notePath, pattern: `change:\\s*\`?${cause.key.replace('.', '\\.')}\`?\\s+${cause.current}\\s*(->|→)\\s*${truth.value}\\b` },
      { id: 'logs_untouched', type: 'file_unchanged', path: `logs/${svc}.log.1`, weight: 0 },
    ];
    const ask = say(rng, [
      `${svc} had a rough afternoon after yesterday's deploy (${deployStamp} in \`ops/deploys.csv\`). Could you work out what broke from the logs, fix the config, and write it up?`,
      `We got paged for ${svc} after the last deploy. I need the logs triaged, the config fixed the way the runbook says, and an incident note.`,
    ]);
    const paragraphs = [
      say(rng, [
        `The logs are \`logs/${svc}.log\` and its rotations (\`.log.1\`, \`.log.2\` — the incident started before the last rotation). Only what happened after the deploy counts; the errors before it were a different problem that is already fixed, and \`logs/archive/\` is an old incident.`,
        `Look at \`logs/${svc}.log\` together with its rotated files (\`.log.1\` and \`.log.2\`): the trouble began before the log rotated. Count only errors after the deploy time — earlier ones belong to an issue we already closed — and leave \`logs/archive/\` out, that's a past incident.`,
      ]) + (others.length ? ` ${say(rng, [`Other services log into \`logs/\` as well; only ${svc} matters here.`, `The other \`.log\` files in \`logs/\` belong to other services — ignore them.`])}` : ''),
      say(rng, [
        `\`docs/runbook.md\` says how to size the value that ran out; please change only that value in \`${cfgPath}\` (leave the comments and everything else as they are, and don't go by the \`.bak\` copy), then run \`python3 scripts/check_config.py ${cfgPath}\` so its verdict lands in \`ops/config_check.json\`.`,
        `Fix \`${cfgPath}\` following the sizing rule in \`docs/runbook.md\` — just that one value, comments and other settings untouched (the \`.bak\` next to it is stale) — and run \`python3 scripts/check_config.py ${cfgPath}\` afterwards; it writes \`ops/config_check.json\`.`,
      ]),
      say(rng, [
        `Then the note: \`${notePath}\`, following \`incidents/TEMPLATE.md\` — start and end are the first and last ERROR line after the deploy (timestamps exactly as logged), errors is how many ERROR lines there were since the deploy, cause is the config key, and change is \`<key> <old> -> <new>\`.`,
        `Last, write \`${notePath}\` from \`incidents/TEMPLATE.md\`: start/end = timestamps of the first and last ERROR line since the deploy (as they appear in the log), errors = the number of those ERROR lines, cause = the dotted config key, change = \`<key> <old> -> <new>\`.`,
      ]),
    ];
    const mutants = [
      wrong('from-bak', 'stale-bak', 'starts from the stale .bak copy', solve(none, { bak: true })),
      ...rules.filter((r) => r.id !== 'keep-config' && r.id !== 'stale-bak').map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, solve(new Set([r.id as Skip])))),
      wrong('rewrite-config', 'keep-config', 'rewrites the config without its comments', solve(none, { rewrite: true })),
      shortcut('no-check-run', 'patches the config and writes the note but never runs the config check', solve(none, { noCheck: true })),
      shortcut('note-only', 'writes the incident note and leaves the config alone', sh(put(notePath, note(r0)))),
      variant('loose-note', 'a note with a summary line, `*` bullets, extra spaces and a backquoted key', solve(none, { loose: true })),
    ];
    return {
      title: `${svc}: incident triage and config fix`,
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: solve(none),
      checks,
      rules,
      mutants,
      operations: ['read and analyze log files', 'modify code or configuration files', 'run scripts or commands', 'write reports or documentation'],
      tags: ['composed', 'logs', 'yaml', `cause-${kind}`],
    };
  },
};
