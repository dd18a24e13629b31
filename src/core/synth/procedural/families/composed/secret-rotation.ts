/**
 * Systems & Automation: roll rotated secrets out to every service's .env (only keys a service
 * already has, exceptions left for later, quoting kept, backups and examples untouched) → run
 * the project's verifier → write the rollout report.
 */
import type { CheckInput, Family } from '../../family.js';
import { clutter, cmp, json, put, putAll, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';

const SERVICES = ['api', 'web', 'worker', 'billing', 'search', 'mailer', 'auth', 'reports', 'scheduler', 'gateway', 'ingest', 'admin'];
const KEYS = ['DB_PASSWORD', 'STRIPE_SECRET_KEY', 'SMTP_PASSWORD', 'JWT_SECRET', 'REDIS_PASSWORD', 'S3_SECRET_KEY'];
const PLAIN = ['APP_ENV=production', 'LOG_LEVEL=info', 'PORT=8080', 'TZ=UTC', 'FEATURE_FLAGS=beta,search'];

type Skip = 'exceptions' | 'only-existing' | 'quoting' | 'examples';

export const secretRotation: Family = {
  id: 'secret-rotation',
  version: 1,
  category: 'Systems & Automation',
  subcategory: 'environment configuration and deployment',
  summary: 'Roll rotated secrets into each service .env (existing keys only, exceptions kept, quoting preserved), run the env verifier, write the rollout report.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
    const svcs = rng.sample(SERVICES, 3 + d * 2);
    const rotated = rng.sample(KEYS, 2 + Math.floor(d / 2));
    const oldVal = Object.fromEntries(KEYS.map((k) => [k, `old-${hex(16)}`]));
    const newVal = Object.fromEntries(rotated.map((k) => [k, `new-${hex(20)}`]));
    // Each service: some secret keys, some plain settings; one quotes its values.
    const env = svcs.map((s, i) => ({
      svc: s,
      keys: i === 0 ? rotated.slice(0, 1) : rng.sample(KEYS, rng.int(1, 4)),
      quoted: i === 1 || rng.chance(0.25),
      plain: rng.sample(PLAIN, rng.int(1, 3)),
    }));
    // Witnesses: service 0 lacks the other rotated keys; service 1 quotes; an exception on a key it has.
    env[0]!.keys = rotated.slice(0, 1);
    if (!env[1]!.keys.includes(rotated[0]!)) env[1]!.keys.push(rotated[0]!);
    const exc = env[2]!;
    if (!exc.keys.includes(rotated[1]!)) exc.keys.push(rotated[1]!);
    const exceptions = [{ svc: exc.svc, key: rotated[1]! }];
    const envText = (e: (typeof env)[number], val: (k: string) => string, quoting = true) =>
      `# ${e.svc} environment\n${e.plain.join('\n')}\n${e.keys.map((k) => `${k}=${e.quoted && quoting ? `"${val(k)}"` : val(k)}`).join('\n')}\n`;
    const files: Record<string, string> = {
      'rotation/new-secrets.env': `# rotated ${rng.int(1, 28)} days ago by the security team\n${rotated.map((k) => `${k}=${newVal[k]}`).join('\n')}\n`,
      'rotation/revoked.env': `${rotated.map((k) => `${k}=${oldVal[k]}`).join('\n')}\n`,
      'rotation/exceptions.txt': `# service key — not rotated yet (needs a coordinated restart)\n${exceptions.map((x) => `${x.svc} ${x.key}`).join('\n')}\n`,
      'scripts/verify_env.py': `#!/usr/bin/env python3
"""Report which services still use a revoked secret. Writes rotation/verify.json."""
import glob
import json
import os

revoked = {}
for line in open("rotation/revoked.env"):
    if "=" in line and not line.startswith("#"):
        k, v = line.strip().split("=", 1)
        revoked[k] = v
still = []
for path in sorted(glob.glob("services/*/.env")):
    svc = os.path.basename(os.path.dirname(path))
    for line in open(path):
        if "=" in line and not line.startswith("#"):
            k, v = line.strip().split("=", 1)
            if revoked.get(k) == v.strip('"'):
                still.append(f"{svc} {k}")
json.dump({"still_revoked": still, "ok": not still}, open("rotation/verify.json", "w"), indent=2)
print("\\n".join(still) or "clean")
`,
      ...clutter(rng, d),
    };
    for (const e of env) {
      files[`services/${e.svc}/.env`] = envText(e, (k) => oldVal[k]!);
      files[`services/${e.svc}/.env.example`] = envText(e, () => 'changeme', false);
    }
    for (const e of env.slice(0, 2)) files[`services/${e.svc}/.env.bak`] = envText(e, (k) => `older-${oldVal[k]!.slice(4)}`);
    const isExc = (svc: string, k: string) => exceptions.some((x) => x.svc === svc && x.key === k);
    const compute = (skip: ReadonlySet<Skip>) => {
      const out: Record<string, string> = {};
      const updated: Record<string, string[]> = Object.fromEntries(rotated.map((k) => [k, []]));
      for (const e of env) {
        const keys = skip.has('only-existing') ? [...new Set([...e.keys, ...rotated])] : e.keys;
        const val = (k: string) => (k in newVal && (skip.has('exceptions') || !isExc(e.svc, k)) ? newVal[k]! : oldVal[k]!);
        for (const k of keys) if (k in newVal && val(k) === newVal[k]) updated[k]!.push(e.svc);
        out[`services/${e.svc}/.env`] = envText({ ...e, keys }, val, !skip.has('quoting'));
        if (skip.has('examples')) out[`services/${e.svc}/.env.example`] = envText({ ...e, keys }, val, false);
      }
      for (const v of Object.values(updated)) v.sort(cmp);
      const still = env.flatMap((e) => e.keys.filter((k) => k in newVal && !skip.has('exceptions') && isExc(e.svc, k)).map((k) => `${e.svc} ${k}`)).sort(cmp);
      return { out, updated, still };
    };
    const truth = compute(new Set());
    const render = (skip: ReadonlySet<Skip>, o: { noVerify?: boolean; indent?: number } = {}) => {
      const r = compute(skip);
      return sh(putAll(r.out), o.noVerify ? '' : 'python3 scripts/verify_env.py\n', put('rotation/report.json', json({ updated: r.updated, pending: r.still, ...(o.indent ? { by: 'ops' } : {}) }, o.indent ?? 2)));
    };
    const checks: CheckInput[] = [
      ...env.map((e) => ({ id: `env_${e.svc}`, type: 'text_equals' as const, path: `services/${e.svc}/.env`, text: truth.out[`services/${e.svc}/.env`]!, weight: truth.out[`services/${e.svc}/.env`] === files[`services/${e.svc}/.env`] ? 0 : 1 })),
      { id: 'verify_ran', type: 'json_path', path: 'rotation/verify.json', query: '$.still_revoked', equals: truth.still },
      ...rotated.map((k) => ({ id: `report_${k}`, type: 'json_path' as const, path: 'rotation/report.json', query: `$.updated.${k}`, equals: truth.updated[k] })),
      { id: 'report_pending', type: 'json_path', path: 'rotation/report.json', query: '$.pending', equals: truth.still },
      {
        id: 'examples_kept',
        type: 'command',
        run: `set -e\n${env.map((e) => `grep -qx '${e.keys[0]}=changeme' 'services/${e.svc}/.env.example'\n`).join('')}! grep -q 'new-' services/*/.env.example services/*/.env.bak\ngrep -q '${newVal[rotated[0]!]}' 'services/${env[0]!.svc}/.env'\n`,
        description: 'examples and backups keep no real secret, and the rollout happened',
      },
    ];
    const rules: Rule[] = [
      { id: 'exceptions', text: 'Service/key pairs in rotation/exceptions.txt keep their old value for now (and are listed as pending).' },
      { id: 'only-existing', text: 'A service only gets the rotated keys it already has; no key is added.' },
      { id: 'quoting', text: 'A service that quotes its values keeps them quoted.' },
      { id: 'examples', text: '.env.example and .env.bak files are not touched.' },
    ];
    const ask = say(rng, [
      `Security rotated ${rotated.length} secrets (\`rotation/new-secrets.env\`). Can you roll them out to the services under \`services/\` and confirm nothing still uses a revoked value?`,
      `Please push the newly rotated secrets from \`rotation/new-secrets.env\` into our services' \`.env\` files and check the result with our verifier.`,
    ]);
    const paragraphs = [
      say(rng, [
        'Each service has its own `services/<name>/.env`. Only replace the values of rotated keys a service already uses — don\'t add keys it doesn\'t have — and keep the file\'s style (if its values are in double quotes, the new ones are too). Pairs listed in `rotation/exceptions.txt` stay on the old value for now. Leave `.env.example` and `.env.bak` files alone.',
        'Update `services/*/.env` only: a rotated key gets its new value where the service has that key (never add one), quoted the same way the file quotes its other values; skip the service/key pairs in `rotation/exceptions.txt` (they roll out later). The `.env.example` templates and `.env.bak` copies must stay as they are.',
      ]),
      say(rng, [
        'Then run `python3 scripts/verify_env.py` (it writes `rotation/verify.json`) and write `rotation/report.json` with `updated` — each rotated key → the sorted list of services you changed it in — and `pending` — the sorted `"<service> <KEY>"` pairs still on a revoked value (the exceptions).',
        'Afterwards run `python3 scripts/verify_env.py` so `rotation/verify.json` is fresh, and save `rotation/report.json`: `{"updated": {KEY: [services, sorted]}, "pending": ["<service> <KEY>", …]}`, pending sorted and holding what is deliberately still on the old secret.',
      ]),
    ];
    const mutants = [
      ...rules.map((r) => wrong(`ignore-${r.id}`, r.id, `the oracle with "${r.text}" ignored`, render(new Set([r.id as Skip])))),
      shortcut('no-verify', 'rolls the secrets out but never runs the verifier', render(new Set(), { noVerify: true })),
      shortcut('report-only', 'writes the report without touching any .env', sh(put('rotation/report.json', json({ updated: truth.updated, pending: truth.still })))),
      variant('report-extra', 'the report with an extra key, indented with 4 spaces', render(new Set(), { indent: 4 })),
    ];
    return {
      title: 'Roll out rotated secrets',
      instruction: request(ctx, ask, paragraphs),
      workspace: files,
      solution: render(new Set()),
      checks,
      rules,
      mutants,
      operations: ['modify code or configuration files', 'run scripts or commands', 'write structured JSON output'],
      tags: ['composed', 'env', 'secrets'],
    };
  },
};
