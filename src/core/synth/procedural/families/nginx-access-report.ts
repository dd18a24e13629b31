/** Systems & Automation: summarise nginx access logs (combined format) into a JSON traffic report. */
import type { Family, FamilyOutput } from '../family.js';
import { voiced } from '../family.js';
import { pad2 } from './calendar.js';
import { cmp, MONTHS } from './common.js';
import { jsonRelayout, on, ruleMutants, shortcutMutant, variantMutant, type KitExtras, type KitRule } from './mutant-kit.js';
import { codeList, say, sayEach } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const SITES: Array<{ name: string; paths: string[] }> = [
  { name: 'shop', paths: ['/', '/cart', '/checkout', '/products', '/products/search', '/api/cart/items', '/api/payments', '/static/app.js', '/static/site.css', '/account/orders'] },
  { name: 'blog', paths: ['/', '/posts', '/posts/archive', '/tags', '/feed.xml', '/about', '/api/comments', '/static/theme.css', '/images/header.webp', '/search'] },
  { name: 'api-gateway', paths: ['/v1/users', '/v1/orders', '/v1/invoices', '/v1/auth/token', '/v1/reports/daily', '/v2/orders', '/v2/search', '/v1/webhooks', '/v1/files', '/v2/users/me'] },
  { name: 'docs', paths: ['/', '/guide/install', '/guide/config', '/reference/cli', '/reference/api', '/changelog', '/search', '/assets/main.js', '/assets/docs.css', '/faq'] },
  { name: 'booking', paths: ['/', '/rooms', '/rooms/availability', '/reservations', '/api/reservations', '/api/rooms/rates', '/login', '/logout', '/static/booking.js', '/help'] },
  { name: 'grafana', paths: ['/login', '/api/dashboards/uid', '/api/datasources/proxy', '/api/search', '/public/build/app.js', '/d/overview', '/api/annotations', '/api/health', '/explore', '/api/alerts'] },
];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1.15', 'curl/8.5.0', 'python-requests/2.31.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0', 'Go-http-client/1.1'];
const PROBE_AGENT = 'kube-probe/1.29';
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Hit { ip: string; t: number; method: string; path: string; query: string; status: number; bytes: number | null; agent: string; probe: boolean }

export const nginxAccessReport: Family = {
  id: 'nginx-access-report',
  version: 2,
  category: 'Systems & Automation',
  subcategory: 'system status inspection',
  summary: 'Summarise nginx access logs into a JSON traffic report (status classes, top path, clients, 5xx by path).',
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const site = rng.pick(SITES);
    const host = `${site.name}-${rng.pick(['prod', 'edge', 'eu1', 'us2', 'ap1'])}-${rng.int(1, 9)}`;
    const paths = rng.sample(site.paths, 5 + difficulty);
    const clients = Array.from({ length: 4 + difficulty * 2 }, () => `${rng.pick(['10.0', '172.16', '192.168', '203.0', '198.51'])}.${rng.int(0, 255)}.${rng.int(1, 254)}`);
    const year = rng.int(2023, 2026);
    const month = rng.int(1, 12);
    const day = rng.int(1, 28);
    const files = difficulty >= 4 ? ['logs/access.log.1', 'logs/access.log'] : ['logs/access.log'];
    const hits: Hit[][] = files.map(() => []);
    const startHour = rng.int(0, 20);
    let t = startHour * 3600 + rng.int(0, 1800);
    for (let f = 0; f < files.length; f++) {
      const n = 15 + difficulty * 12 + rng.int(0, 10);
      for (let i = 0; i < n; i++) {
        t += rng.int(1, Math.floor(10800 / n));
        const probe = difficulty >= 3 && rng.chance(0.12);
        const r = rng.next();
        const status = probe ? 200 : r < 0.55 ? rng.pick([200, 200, 201, 204]) : r < 0.68 ? rng.pick([301, 302, 304]) : r < 0.85 ? rng.pick([400, 401, 403, 404, 404]) : rng.pick([500, 502, 503, 504]);
        const bytes = difficulty >= 3 && (status === 304 || status === 204) ? null : rng.int(0, 90_000);
        hits[f]!.push({
          ip: probe ? '10.244.0.1' : rng.pick(clients),
          t,
          method: probe ? 'GET' : rng.pick(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE']),
          path: probe ? rng.pick(['/healthz', '/readyz']) : rng.pick(paths),
          query: !probe && rng.chance(0.25) ? `?${rng.pick(['page', 'id', 'q', 'ref', 'lang'])}=${rng.int(1, 99)}` : '',
          status,
          bytes,
          agent: probe ? PROBE_AGENT : rng.pick(AGENTS),
          probe,
        });
      }
    }
    // Witnesses, appended to the newest file: a 5xx with a query string, a probe, and a tie for the busiest path.
    const last = hits[hits.length - 1]!;
    const push = (h: Partial<Hit>) => {
      t += rng.int(5, 60);
      last.push({ ip: rng.pick(clients), t, method: 'GET', path: rng.pick(paths), query: '', status: 200, bytes: rng.int(0, 90_000), agent: rng.pick(AGENTS), probe: false, ...h });
    };
    push({ status: rng.pick([500, 502, 503]), query: `?id=${rng.int(1, 99)}` });
    if (difficulty >= 3) push({ ip: '10.244.0.1', path: '/healthz', agent: PROBE_AGENT, probe: true, status: 200 });
    if (difficulty >= 3) push({ status: 304, bytes: null });
    push({ path: '/robots.txt', status: 200 }); // a path without any 5xx
    {
      const counts: Record<string, number> = {};
      for (const h of hits.flat()) if (!(difficulty >= 3 && h.probe)) counts[h.path] = (counts[h.path] ?? 0) + 1;
      const ranked = Object.entries(counts).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
      const [top1, top2] = [ranked[0]!, ranked[1]!];
      for (let k = top2[1]; k < top1[1]; k++) push({ path: top2[0] });
    }
    const stamp = (s: number) => {
      const dd = day + Math.floor(s / 86400);
      const r = s % 86400;
      return `${pad2(dd)}/${MON[month - 1]}/${year}:${pad2(Math.floor(r / 3600))}:${pad2(Math.floor((r % 3600) / 60))}:${pad2(r % 60)} +0000`;
    };
    const workspace: Record<string, string> = {};
    files.forEach((f, k) => {
      workspace[f] = hits[k]!.map((h) => `${h.ip} - - [${stamp(h.t)}] "${h.method} ${h.path}${h.query} HTTP/1.1" ${h.status} ${h.bytes ?? '-'} "-" "${h.agent}"`).join('\n') + '\n';
    });
    // Ground truth.
    const counted = hits.flat().filter((h) => !(difficulty >= 3 && h.probe));
    const classes: Record<string, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
    const byPath: Record<string, number> = {};
    const errByPath: Record<string, number> = {};
    const perHour: Record<string, number> = {};
    let bytes = 0;
    for (const h of counted) {
      classes[`${Math.floor(h.status / 100)}xx`]!++;
      byPath[h.path] = (byPath[h.path] ?? 0) + 1;
      if (h.status >= 500) errByPath[h.path] = (errByPath[h.path] ?? 0) + 1;
      bytes += h.bytes ?? 0;
      const hr = pad2(Math.floor((h.t % 86400) / 3600));
      perHour[hr] = (perHour[hr] ?? 0) + 1;
    }
    const top = Object.entries(byPath).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]![0];
    const uniq = new Set(counted.map((h) => h.ip)).size;
    const out = `reports/${host}-traffic.json`;

    const ask = say(rng, [
      'Can you summarise the nginx access log{s} for {host} ({files})? I need a small traffic report.',
      'Our on-call review wants numbers from {host}: please crunch {files} and produce a JSON traffic summary.',
      'Please parse {files} (nginx combined format, host {host}) and tell me how traffic looked on {date}.',
      'I need a traffic breakdown from {host}. The raw logs are in {files}; build the report as JSON.',
      'Before the {site} postmortem, could you go through {files} and compute a few traffic stats for {host}?',
      'Help me audit what hit {host} on {date} — the access log{s} {are} {files}. A JSON report, please.',
    ], { host, files: codeList(files), s: files.length > 1 ? 's' : '', are: files.length > 1 ? 'are' : 'is', date: `${day} ${MONTHS[month - 1]} ${year}`, site: site.name });
    const bullet = rng.pick(['- ', '* ', '• ']);
    const fields = sayEach(rng, [
      ['`total_requests`: number of requests counted', '`total_requests` — how many requests you counted', '`total_requests` (integer): the request count'],
      ['`status_classes`: an object with keys `2xx`, `3xx`, `4xx`, `5xx` (counts, 0 when none)', '`status_classes` — counts per status class under the keys `2xx`/`3xx`/`4xx`/`5xx`, zeros included', '`status_classes`: {"2xx": …, "3xx": …, "4xx": …, "5xx": …} with every key present'],
      ['`top_path`: the most requested path, query string stripped (ties: alphabetically first)', '`top_path` — whichever path (ignore `?query`) was requested most; break ties alphabetically', '`top_path`: busiest path without its query string, lowest in sort order on a tie'],
      ['`unique_clients`: number of distinct client IPs', '`unique_clients` — how many different remote addresses appear', '`unique_clients` (integer): distinct source IPs'],
      ['`server_errors_by_path`: path (no query string) → number of 5xx responses, only paths that had any', '`server_errors_by_path` — for each path that returned a 5xx, how many times (strip query strings)', '`server_errors_by_path`: map of path → count of 500–599 responses; leave out paths with none'],
    ]).map((l) => bullet + l);
    if (difficulty >= 2) fields.push(bullet + say(rng, ['`bytes_sent`: total response bytes{dash}', '`bytes_sent` — sum of the size column{dash}', '`bytes_sent` (integer): all body bytes served{dash}'], { dash: difficulty >= 3 ? ' (a `-` size counts as 0)' : '' }));
    if (difficulty >= 5) fields.push(bullet + say(rng, ['`requests_per_hour`: two-digit hour ("09") → request count, only hours that had traffic', '`requests_per_hour` — hour of day as "HH" mapped to how many requests, hours without traffic omitted']));
    const rules: string[] = [];
    const ruleSet: KitRule[] = [
      { id: 'strip-query', text: fields[2]! },
      { id: 'tie-alphabetical', text: fields[2]! },
      { id: 'errors-only-nonzero', text: fields[4]! },
    ];
    const stated = (text: string, id: string) => (rules.push(text), ruleSet.push({ id, text }));
    if (difficulty >= 2) ruleSet.push({ id: 'bytes-sent', text: fields[5]! });
    if (difficulty >= 3) ruleSet.push({ id: 'dash-size-zero', text: fields[5]! });
    if (difficulty >= 3) stated(say(rng, ['Leave out the Kubernetes health probes (user agent `{a}`) from every number.', 'Health checks from `{a}` are noise: exclude them everywhere.', 'Do not count requests made by `{a}` (liveness/readiness probes).'], { a: PROBE_AGENT }), 'exclude-probes');
    if (difficulty >= 4) stated(say(rng, ['The log was rotated, so count both files.', 'Include the rotated file too — it holds the earlier part of the day.']), 'both-files');
    const instruction = voiced(ctx, ask, [...rules, ...(rules.length ? [''] : []), say(rng, ['Write `{out}` with:', 'Save it as `{out}` containing these keys:', 'Put the JSON in `{out}`; keys:', 'Output goes to `{out}`:'], { out }), ...fields]);

    const oracle = (ig: ReadonlySet<string>) => pyOracle(String.raw`
files = ${JSON.stringify(on(ig, 'both-files') === 'True' ? files : files.slice(-1))}
rx = re.compile(r'^(\S+) \S+ \S+ \[(\d+)/\w+/\d+:(\d\d):\d\d:\d\d [^\]]*\] "(\S+) (\S+) [^"]*" (\d{3}) (\S+) "[^"]*" "([^"]*)"')
hits = []
for f in files:
    for line in open(f):
        m = rx.match(line)
        if m:
            hits.append(m.groups())
hits = [h for h in hits if not (${on(ig, 'exclude-probes', difficulty >= 3)} and h[7] == ${JSON.stringify(PROBE_AGENT)})]
if not ${on(ig, 'dash-size-zero', difficulty >= 3)}:
    hits = [h for h in hits if h[6] != "-"]
classes = {"2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0}
by_path, err, per_hour, total_bytes = {}, {}, {}, 0
for ip, day, hour, method, target, status, size, agent in hits:
    path = target.split("?")[0] if ${on(ig, 'strip-query')} else target
    classes[status[0] + "xx"] += 1
    by_path[path] = by_path.get(path, 0) + 1
    if status.startswith("5"):
        err[path] = err.get(path, 0) + 1
    total_bytes += 0 if size == "-" else int(size)
    per_hour[hour] = per_hour.get(hour, 0) + 1
if not ${on(ig, 'errors-only-nonzero')}:
    err = {p: err.get(p, 0) for p in by_path}
if ${on(ig, 'tie-alphabetical')}:
    top = sorted(by_path.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
else:
    top = max(by_path.items(), key=lambda kv: (kv[1], kv[0]))[0]
rep = {"total_requests": len(hits), "status_classes": classes, "top_path": top, "unique_clients": len({h[0] for h in hits}), "server_errors_by_path": err}
if ${difficulty >= 2 ? 'True' : 'False'}:
    rep["bytes_sent"] = total_bytes if ${on(ig, 'bytes-sent')} else len(hits)
if ${difficulty >= 5 ? 'True' : 'False'}:
    rep["requests_per_hour"] = per_hour
os.makedirs("reports", exist_ok=True)
json.dump(rep, open(${JSON.stringify(out)}, "w"), indent=2)
`);
    const solution = oracle(new Set());
    const mutants = [
      ...ruleMutants(ruleSet, oracle),
      shortcutMutant('raw-targets-any-tie', 'counts raw request targets (query strings kept) and takes any busiest one', oracle(new Set(['strip-query', 'tie-alphabetical']))),
      variantMutant('json-layout', 'JSON re-indented with sorted keys and an extra `host` field', solution, jsonRelayout([out], { host })),
    ];
    const result: FamilyOutput & KitExtras = {
      title: `Traffic report for ${host}`,
      instruction,
      workspace,
      solution,
      rules: ruleSet,
      mutants,
      checks: [
        { id: 'total_requests', type: 'json_path', path: out, query: '$.total_requests', equals: counted.length },
        { id: 'status_classes', type: 'json_path', path: out, query: '$.status_classes', equals: classes },
        { id: 'top_path', type: 'json_path', path: out, query: '$.top_path', equals: top },
        { id: 'unique_clients', type: 'json_path', path: out, query: '$.unique_clients', equals: uniq },
        { id: 'server_errors_by_path', type: 'json_path', path: out, query: '$.server_errors_by_path', equals: errByPath },
        ...(difficulty >= 2 ? [{ id: 'bytes_sent', type: 'json_path' as const, path: out, query: '$.bytes_sent', equals: bytes }] : []),
        ...(difficulty >= 5 ? [{ id: 'requests_per_hour', type: 'json_path' as const, path: out, query: '$.requests_per_hour', equals: perHour }] : []),
        ...files.map((f, k) => ({ id: `log_untouched_${k}`, type: 'file_unchanged' as const, path: f, weight: 0 })),
      ],
      operations: ['read local files and extract relevant content', 'compute basic statistics and aggregates', 'write structured results to local files'],
      tags: ['logs', 'nginx'],
    };
    return result;
  },
};
