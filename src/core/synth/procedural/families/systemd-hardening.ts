/** Systems & Automation: bring a folder of systemd service units in line with a hardening policy and list what changed. */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { codeList, say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping } from './rule-switches.js';

const UNITS = [
  'billing-api', 'report-worker', 'thumbnailer', 'metrics-agent', 'mail-relay', 'search-indexer', 'webhook-dispatcher', 'ledger-sync', 'pdf-renderer',
  'queue-consumer', 'session-reaper', 'geo-lookup', 'export-scheduler', 'audit-shipper', 'image-resizer', 'notification-hub', 'rate-limiter', 'invoice-mailer',
  'feature-flags', 'cache-warmer', 'log-forwarder', 'sftp-ingest', 'price-sync', 'token-issuer',
];
const DESCR = ['service', 'daemon', 'worker', 'backend', 'agent'];
const OTHER_USERS = ['www-data', 'nobody', 'appuser', 'deploy'];

interface Unit {
  name: string;
  type: 'simple' | 'notify' | 'oneshot';
  user: string | null;
  restart: string | null;
  restartSec: string | null;
  nnp: string | null;
}

export const systemdHardening: Family = {
  id: 'systemd-hardening',
  version: 2,
  category: 'Systems & Automation',
  subcategory: 'environment configuration and deployment',
  summary: 'Edit systemd unit files to satisfy a restart/user/privilege policy and list the units changed.',
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const dir = rng.pick(['units', 'deploy/systemd', 'etc/systemd/system', 'ops/units']);
    const names = rng.sample(UNITS, 3 + difficulty);
    const units: Unit[] = names.map((name) => {
      const type = difficulty >= 5 && rng.chance(0.25) ? 'oneshot' : rng.pick(['simple', 'simple', 'notify'] as const);
      const r = rng.next();
      const restart = type === 'oneshot' ? null : r < 0.4 ? 'on-failure' : r < 0.65 ? null : rng.pick(['always', 'no', 'on-abort']);
      const u = rng.next();
      const user = u < 0.5 ? rng.pick([`svc-${name}`, rng.pick(OTHER_USERS)]) : u < 0.75 ? 'root' : null;
      const s = rng.next();
      const restartSec = type === 'oneshot' ? null : s < 0.4 ? '5' : s < 0.8 ? null : rng.pick(['2', '10', '30s']);
      const p = rng.next();
      const nnp = p < 0.4 ? 'true' : p < 0.8 ? null : 'false';
      return { name, type, user, restart, restartSec, nnp };
    });
    // Units that make every rule count: one lacks a Restart= line (so the key must be added in [Service]),
    // one has a wrong Restart= value (an appended line would leave it), one is already compliant and runs as
    // another user (which stays, and the unit stays off the list), and at d5 a oneshot unit needs another fix.
    const [u0, u1, u2, u3] = units;
    for (const u of [u0!, u1!, u2!]) if (u.type === 'oneshot') u.type = 'simple';
    Object.assign(u0!, { restart: null, user: 'root', restartSec: null, nnp: 'false' });
    Object.assign(u1!, { restart: 'always', restartSec: '10', nnp: null });
    Object.assign(u2!, { restart: 'on-failure', user: rng.pick(OTHER_USERS), restartSec: '5', nnp: 'true' });
    if (difficulty >= 5) Object.assign(u3!, { type: 'oneshot', restart: null, restartSec: null, nnp: null });
    const exempt = (u: Unit) => difficulty >= 5 && u.type === 'oneshot';
    const violations = (u: Unit): string[] => {
      const v: string[] = [];
      if (!exempt(u) && u.restart !== 'on-failure') v.push('restart');
      if (difficulty >= 2 && (u.user === null || u.user === 'root')) v.push('user');
      if (difficulty >= 3 && !exempt(u) && u.restartSec !== '5') v.push('restartsec');
      if (difficulty >= 4 && u.nnp !== 'true') v.push('nnp');
      return v;
    };
    if (!units.some((u) => violations(u).length)) {
      const u = units.find((x) => !exempt(x))!;
      u.restart = null;
    }
    const workspace: Record<string, string> = {};
    for (const u of units) {
      const svc = [`Type=${u.type}`, `ExecStart=/usr/local/bin/${u.name} --config /etc/${u.name}/config.${rng.pick(['yaml', 'toml', 'ini'])}`];
      if (u.user) svc.push(`User=${u.user}`);
      if (rng.chance(0.5)) svc.push(`Environment=${rng.pick(['LOG_LEVEL=info', 'RUST_LOG=warn', 'NODE_ENV=production', 'PYTHONUNBUFFERED=1', 'GOMAXPROCS=2'])}`);
      if (u.restart) svc.push(`Restart=${u.restart}`);
      if (u.restartSec) svc.push(`RestartSec=${u.restartSec}`);
      if (u.nnp) svc.push(`NoNewPrivileges=${u.nnp}`);
      if (rng.chance(0.4)) svc.push(`WorkingDirectory=/srv/${u.name}`);
      const label = u.name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
      workspace[`${dir}/${u.name}.service`] = [
        '[Unit]',
        `Description=${label} ${rng.pick(DESCR)}`,
        'After=network-online.target',
        ...(rng.chance(0.5) ? ['Wants=network-online.target'] : []),
        '',
        '[Service]',
        ...svc,
        '',
        '[Install]',
        `WantedBy=${u.type === 'oneshot' ? 'multi-user.target' : rng.pick(['multi-user.target', 'default.target'])}`,
        '',
      ].join('\n');
    }
    const changed = units.filter((u) => violations(u).length).map((u) => `${u.name}.service`).sort(cmp);
    const report = `reports/changed_units.txt`;

    const restartLine = say(rng, ['- every service sets `Restart=on-failure`{ex}', '- `Restart=on-failure` is mandatory{ex}', '- a crashed service must come back: `Restart=on-failure`{ex}'], { ex: difficulty >= 5 ? ' (except `Type=oneshot` units, which must not restart at all)' : '' });
    const policy = [restartLine];
    const rules: Rule[] = [{ id: 'restart', text: restartLine.replace(/^- /, '') }, { id: 'service-section', text: 'all keys live in the `[Service]` section' }];
    if (difficulty >= 5) rules.push({ id: 'oneshot-exempt', text: '`Type=oneshot` units must not restart at all' });
    if (difficulty >= 2) {
      policy.push(say(rng, ['- nothing runs as root: a unit with `User=root` or no `User=` line gets `User=svc-<unit name>` (e.g. `svc-{ex}`); other users stay', '- no root services — if `User=` is missing or root, set it to `svc-` plus the unit name (`svc-{ex}` for {ex}.service); keep existing non-root users'], { ex: names[0]! }));
      rules.push({ id: 'user', text: 'a unit with `User=root` or no `User=` line gets `User=svc-<unit name>`' }, { id: 'keep-other-users', text: 'existing non-root users stay' });
    }
    if (difficulty >= 3) {
      policy.push(say(rng, ['- restarting services also need `RestartSec=5`', '- wherever Restart applies, add/normalise `RestartSec=5`']));
      rules.push({ id: 'restartsec', text: policy[policy.length - 1]!.replace(/^- /, '') });
    }
    if (difficulty >= 4) {
      policy.push(say(rng, ['- `NoNewPrivileges=true` on every unit', '- all units must set `NoNewPrivileges=true`']));
      rules.push({ id: 'nnp', text: policy[policy.length - 1]!.replace(/^- /, '') });
    }
    rules.push({ id: 'only-changed-listed', text: `\`${report}\` lists only the units that needed changes` }, { id: 'sorted-list', text: `\`${report}\` is sorted` });
    const ask = say(rng, [
      'Our systemd units in `{dir}/` drifted from the hardening policy. Please fix them in place.',
      'Can you bring the {n} service files under `{dir}/` ({some}, …) in line with our unit policy?',
      'Security review flagged our services. Edit the unit files in `{dir}/` so they follow the rules below.',
      'Please audit and patch the systemd units in `{dir}/` — the policy is below.',
      'Before we roll {first} and friends to the new fleet, make every unit in `{dir}/` policy-compliant.',
    ], { dir, n: units.length, some: codeList(names.slice(0, 2).map((n) => `${n}.service`)), first: names[0]! });
    const instruction = voiced(ctx, ask, [
      say(rng, ['Policy (all keys live in the `[Service]` section):', 'The rules, for the `[Service]` section:', 'What every unit needs in `[Service]`:']),
      ...policy,
      '',
      say(rng, [
        'Change only what the policy requires. Then list the file names of the units you modified in `{report}`, one per line, sorted.',
        'Leave compliant files alone. Afterwards write `{report}`: the changed unit file names (like `{ex}.service`), sorted, one per line.',
        'Keep the rest of each file intact, and record which unit files needed changes in `{report}` (sorted, one name per line).',
      ], { report, ex: names[0]! }),
    ]);

    const checks: CheckInput[] = [];
    const inService = (line: string) => `\\[Service\\][^\\[]*^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    for (const u of units) {
      const path = `${dir}/${u.name}.service`;
      const v = violations(u);
      if (!v.length) {
        checks.push({ id: `unchanged_${u.name}`, type: 'file_unchanged', path, weight: 0 });
        continue;
      }
      if (v.includes('restart')) {
        checks.push({ id: `restart_${u.name}`, type: 'text_matches', path, pattern: inService('Restart=on-failure') });
        if (u.restart) checks.push({ id: `old_restart_gone_${u.name}`, type: 'text_not_contains', path, text: `Restart=${u.restart}` });
      }
      if (v.includes('user')) {
        checks.push({ id: `user_${u.name}`, type: 'text_matches', path, pattern: inService(`User=svc-${u.name}`) });
        if (u.user) checks.push({ id: `root_gone_${u.name}`, type: 'text_not_contains', path, text: 'User=root' });
      }
      if (v.includes('restartsec')) {
        checks.push({ id: `restartsec_${u.name}`, type: 'text_matches', path, pattern: inService('RestartSec=5') });
        if (u.restartSec) checks.push({ id: `old_restartsec_gone_${u.name}`, type: 'text_not_contains', path, text: `RestartSec=${u.restartSec}` });
      }
      if (v.includes('nnp')) {
        checks.push({ id: `nnp_${u.name}`, type: 'text_matches', path, pattern: inService('NoNewPrivileges=true') });
        if (u.nnp) checks.push({ id: `nnp_false_gone_${u.name}`, type: 'text_not_contains', path, text: 'NoNewPrivileges=false' });
      }
      checks.push({ id: `execstart_kept_${u.name}`, type: 'text_contains', path, text: `ExecStart=/usr/local/bin/${u.name}`, weight: 0 });
      // A oneshot unit is fixed (NoNewPrivileges) and has no Restart*= line: one check, so the untouched file fails it.
      if (exempt(u)) checks.push({ id: `oneshot_fixed_no_restart_${u.name}`, type: 'text_matches', path, pattern: '^(?![\\s\\S]*\\nRestart)[\\s\\S]*\\nNoNewPrivileges=true(\\r?\\n|$)', flags: '', weight: u.nnp === 'true' ? 0 : 1 });
    }
    checks.push({ id: 'changed_list', type: 'text_equals', path: report, text: changed.join('\n') + '\n' });

    const solution = pyOracle(String.raw`
${SKIP_LINE}
d = ${difficulty}
changed, listed = [], []
for path in sorted(glob.glob(${JSON.stringify(dir)} + "/*.service")):
    lines = open(path).read().split("\n")
    s = lines.index("[Service]")
    e = next(i for i in range(s + 1, len(lines)) if lines[i].startswith("["))
    while lines[e - 1] == "":
        e -= 1
    svc = lines[s + 1:e]
    tail = []
    def get(k):
        for l in svc:
            if l.startswith(k + "="):
                return l.split("=", 1)[1]
        return None
    def put(k, v):
        if get(k) == v:
            return
        for i, l in enumerate(svc):
            if l.startswith(k + "=") and "append-only" not in SKIP:
                svc[i] = k + "=" + v
                return
        if "service-section" in SKIP:
            tail.append(k + "=" + v)
        elif "keys-on-top" in SKIP:
            svc.insert(0, k + "=" + v)
        else:
            svc.append(k + "=" + v)
    before = list(svc)
    oneshot = get("Type") == "oneshot" and d >= 5 and "oneshot-exempt" not in SKIP
    name = os.path.basename(path)[: -len(".service")]
    if not oneshot and "restart" not in SKIP:
        put("Restart", "on-failure")
    if d >= 2 and "user" not in SKIP and (get("User") in (None, "root") or "keep-other-users" in SKIP):
        put("User", "svc-" + name)
    if d >= 3 and not oneshot and "restartsec" not in SKIP:
        put("RestartSec", "5")
    if d >= 4 and "nnp" not in SKIP:
        put("NoNewPrivileges", "true")
    if svc != before or tail:
        if "keys-on-top" in SKIP:
            svc.insert(0, "# Hardened per the unit policy.")
        end = lines[e:]
        if tail:
            while end and end[-1] == "":
                end.pop()
            end += tail + [""]
        open(path, "w").write("\n".join(lines[: s + 1] + svc + end))
        changed.append(os.path.basename(path))
    listed.append(os.path.basename(path))
if "only-changed-listed" not in SKIP:
    listed = changed
os.makedirs("reports", exist_ok=True)
open(${JSON.stringify(report)}, "w").write("".join(c + "\n" for c in sorted(listed, reverse="sorted-list" in SKIP)))
`);
    const ignoring: Record<string, string> = {
      restart: 'leaves Restart= as it is',
      'service-section': 'appends missing keys at the end of the file (in [Install])',
      'oneshot-exempt': 'gives oneshot units Restart=on-failure too',
      user: 'leaves root and missing users alone',
      'keep-other-users': 'replaces every user, non-root ones too, with svc-<unit>',
      restartsec: 'leaves RestartSec= as it is',
      nnp: 'leaves NoNewPrivileges= as it is',
      'only-changed-listed': 'lists every unit in the report',
      'sorted-list': 'lists the changed units in reverse order',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'append-only', kind: 'wrong', shortcut: 'appends the policy lines to [Service] without replacing the old values', description: 'old Restart=/RestartSec= values stay beside the new ones', solution: skipping(solution, 'append-only') },
      { id: 'keys-on-top', kind: 'variant', description: 'new keys go at the top of [Service], under a comment line', solution: skipping(solution, 'keys-on-top') },
    ];
    return {
      title: `Harden ${units.length} systemd units in ${dir}`,
      instruction,
      workspace,
      solution,
      checks,
      rules,
      mutants,
      operations: ['inspect code or configuration files', 'modify code or configuration files', 'write structured results to local files'],
      tags: ['systemd', 'config'],
    };
  },
};
