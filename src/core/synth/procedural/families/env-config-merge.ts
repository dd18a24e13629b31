/** Systems & Automation: merge layered .env files into one deploy env file and report required keys that are missing. */
import type { CheckInput, Family } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { TEAM_NAMES } from './names.js';
import { codeList, say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

type Gen = (r: () => number, svc: string, stage: string) => string;
const KEYS: Record<string, Gen> = {
  APP_NAME: (_r, svc) => svc,
  APP_ENV: (_r, _s, stage) => stage,
  PORT: (r) => String(3000 + r() * 10),
  LOG_LEVEL: (r) => ['debug', 'info', 'warn', 'error'][r() % 4]!,
  DATABASE_URL: (r, svc, stage) => `postgres://${svc}:pw${r()}@db-${stage}.internal:5432/${svc}`,
  DB_POOL_SIZE: (r) => String(5 + (r() % 20)),
  REDIS_URL: (r, _s, stage) => `redis://cache-${stage}-${r() % 4}:6379/0`,
  CACHE_TTL: (r) => String(60 * (1 + (r() % 30))),
  SMTP_HOST: (r) => `smtp${r() % 3}.mail.internal`,
  SMTP_PORT: (r) => ['25', '465', '587', '2525'][r() % 4]!,
  S3_BUCKET: (r, svc, stage) => `${svc}-${stage}-assets-${r()}`,
  AWS_REGION: (r) => ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'eu-central-1'][r() % 4]!,
  FEATURE_NEW_UI: (r) => (r() % 2 ? 'true' : 'false'),
  TIMEZONE: (r) => ['UTC', 'Europe/Berlin', 'America/Chicago', 'Asia/Tokyo'][r() % 4]!,
  MAX_UPLOAD_MB: (r) => String(5 * (1 + (r() % 40))),
  WORKERS: (r) => String(1 + (r() % 16)),
  QUEUE_NAME: (r, svc) => `${svc}-jobs-${r() % 9}`,
  CORS_ORIGINS: (r, svc) => `https://${svc}.example.com,https://admin${r() % 5}.example.com`,
  SESSION_TTL: (r) => String(900 * (1 + (r() % 8))),
  METRICS_PORT: (r) => String(9100 + (r() % 90)),
  SENTRY_DSN: (r) => `https://k${r()}@sentry.internal/${r() % 60}`,
  JWT_SECRET: (r) => `jwt-${r()}${r()}`,
  API_KEY: (r) => `ak_${r()}${r()}${r()}`,
  STRIPE_KEY: (r) => `sk_test_${r()}${r()}`,
};
const SECRETS = ['SENTRY_DSN', 'JWT_SECRET', 'API_KEY', 'STRIPE_KEY'];
const SPACED: Record<string, (r: () => number) => string> = {
  GREETING: (r) => `Welcome back #${r() % 10}`,
  SUPPORT_LINE: (r) => `Call +1 555 01${r() % 90}`,
  BANNER_TEXT: (r) => `Maintenance on day ${r() % 28}`,
};

export const envConfigMerge: Family = {
  id: 'env-config-merge',
  version: 1,
  category: 'Systems & Automation',
  subcategory: 'environment configuration and deployment',
  summary: 'Merge layered .env files (base, stage, local overrides) into one sorted env file; report missing required keys.',
  domains: ['it-ops', 'software'],
  generate(ctx) {
    const { rng, difficulty } = ctx;
    const svc = `${rng.pick(TEAM_NAMES)}-${rng.pick(['api', 'web', 'worker', 'gateway', 'portal'])}`;
    const stage = rng.pick(['production', 'staging', 'qa', 'preview']);
    const r = () => rng.int(1, 999);
    const pool = Object.keys(KEYS).filter((k) => difficulty >= 4 || !SECRETS.includes(k));
    const keys = rng.sample(pool, Math.min(pool.length, 6 + difficulty * 2));
    if (difficulty >= 4 && !keys.some((k) => SECRETS.includes(k))) keys.push(rng.pick(SECRETS));
    const spaced = difficulty >= 3 ? rng.sample(Object.keys(SPACED), rng.int(1, 2)) : [];
    const dir = `${svc}/config`;
    const layerNames = [`${dir}/.env`, `${dir}/.env.${stage}`, ...(difficulty >= 3 ? [`${dir}/.env.${stage}.local`] : [])];
    const layers: Array<Array<[string, string]>> = layerNames.map(() => []);
    const valueFor = (k: string) => (k in SPACED ? SPACED[k]!(r) : KEYS[k]!(r, svc, stage));
    for (const k of [...keys, ...spaced]) {
      if (rng.chance(0.85) || k in SPACED) layers[0]!.push([k, valueFor(k)]);
      for (let l = 1; l < layers.length; l++) {
        if (rng.chance(l === 1 ? 0.4 : 0.25)) {
          let v = valueFor(k);
          for (let guard = 0; guard < 5 && layers.slice(0, l).some((ly) => ly.some(([kk, vv]) => kk === k && vv === v)); guard++) v = valueFor(k);
          layers[l]!.push([k, difficulty >= 5 && rng.chance(0.15) ? '' : v]);
        }
      }
    }
    if (!layers[1]!.length) layers[1]!.push(['LOG_LEVEL', 'warn']);
    const merged = new Map<string, string>();
    for (const ly of layers) for (const [k, v] of ly) merged.set(k, v);
    const secretsDropped = difficulty >= 4 ? keys.filter((k) => SECRETS.includes(k) && merged.has(k)) : [];
    for (const s of secretsDropped) merged.delete(s);
    const comments = ['# defaults shared by every stage', '# managed by platform team', `# ${stage} overrides`, '# do not commit real secrets', `# last reviewed by ${rng.pick(['ops', 'sre', 'platform'])}`];
    const workspace: Record<string, string> = {};
    layerNames.forEach((file, l) => {
      const out: string[] = [rng.pick(comments)];
      for (const [k, v] of rng.shuffle(layers[l]!)) {
        if (rng.chance(0.15)) out.push('');
        const exp = difficulty >= 2 && rng.chance(0.3) ? 'export ' : '';
        const needsQuote = /[\s#]/.test(v);
        const quoted = needsQuote || (difficulty >= 3 && rng.chance(0.2)) ? `${rng.pick(['"', "'"])}` : '';
        const inline = difficulty >= 5 && !quoted && v !== '' && rng.chance(0.25) ? `  # ${rng.pick(['tuned in incident', 'see ticket', 'temporary', 'ask ops'])}` : '';
        out.push(`${exp}${k}=${quoted}${v}${quoted}${inline}`);
      }
      workspace[file] = out.join('\n') + '\n';
    });
    const required: string[] = [];
    let missing: string[] = [];
    if (difficulty >= 2) {
      const present = [...merged.keys()].filter((k) => !SECRETS.includes(k));
      const absent = Object.keys(KEYS).filter((k) => !merged.has(k) && !SECRETS.includes(k));
      missing = rng.sample(absent, rng.int(1, 2)).sort(cmp);
      required.push(...rng.sample(present, Math.min(present.length, 3 + difficulty)), ...missing);
      workspace[`${dir}/required_keys.txt`] = rng.shuffle(required).join('\n') + '\n';
    }
    if (difficulty >= 4) workspace[`${dir}/secret_keys.txt`] = `# injected at runtime by the vault agent\n${SECRETS.join('\n')}\n`;
    const out = `${svc}/deploy/${stage}.env`;
    const missingOut = `${svc}/deploy/missing_keys.txt`;
    const mergedText = [...merged.entries()].sort((a, b) => cmp(a[0], b[0])).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';

    const ask = say(rng, [
      'Please produce the final {stage} environment for {svc}: merge {layers} into one file.',
      'We deploy {svc} to {stage} next. Can you flatten the env layers ({layers}) into a single env file?',
      'I need one resolved env file for {svc} ({stage}). The layers are {layers}.',
      'Could you merge the dotenv files for {svc} — {layers} — into the file our {stage} deploy reads?',
      'Flatten the configuration of {svc} for the {stage} rollout; it is spread over {layers}.',
    ], { stage, svc, layers: codeList(layerNames) });
    const b = rng.pick(['- ', '* ']);
    const details = [
      b + say(rng, ['Later files win: {order}.', 'Precedence, lowest to highest: {order}.', 'When a key appears in several files, the last one in this order wins: {order}.'], { order: layerNames.map((f) => f.split('/').pop()).join(' → ') }),
      b + say(rng, ['Write `{out}` as `KEY=value` lines sorted by key, no comments or blank lines.', 'Output: `{out}`, one `KEY=value` per line, keys in sorted order, nothing else.', 'Result goes to `{out}` — just `KEY=value` lines, alphabetical by key.'], { out }),
    ];
    if (difficulty >= 2) details.push(b + say(rng, ['Drop any `export ` prefix.', 'Lines may start with `export ` — strip that.']));
    if (difficulty >= 3) details.push(b + say(rng, ['Write values without their surrounding quotes (`A="x y"` becomes `A=x y`).', 'Quoted values lose their quotes in the output.']));
    if (difficulty >= 5) details.push(b + say(rng, ['An unquoted value ends before ` #` (inline comment); an empty override (`KEY=`) still overrides, giving `KEY=`.', 'Strip inline comments after unquoted values; `KEY=` with nothing after it is a real (empty) override.']));
    if (difficulty >= 4) details.push(b + say(rng, ['Keys listed in `{sec}` are injected at runtime — leave them out.', 'Do not write any key from `{sec}`; the vault agent provides those.'], { sec: `${dir}/secret_keys.txt` }));
    if (difficulty >= 2) details.push(b + say(rng, ['Then check `{req}`: list required keys that end up undefined in `{miss}`, sorted, one per line.', 'Compare against `{req}` and write the required keys that are still missing to `{miss}` (sorted, one a line).'], { req: `${dir}/required_keys.txt`, miss: missingOut }));
    const instruction = voiced(ctx, ask, details);

    const checks: CheckInput[] = [
      { id: 'merged_env', type: 'text_equals', path: out, text: mergedText },
      { id: 'merged_lines', type: 'text_contains', path: out, text: mergedText.trimEnd().split('\n').map((l) => `${l}\n`), normalize: { trailing_newline: false } },
      { id: 'line_count', type: 'line_count', path: out, equals: merged.size },
    ];
    if (difficulty >= 2) checks.push({ id: 'missing_keys', type: 'text_equals', path: missingOut, text: missing.join('\n') + '\n' });
    if (secretsDropped.length) checks.push({ id: 'no_secrets', type: 'text_not_contains', path: out, text: secretsDropped.map((s) => `${s}=`) });
    layerNames.forEach((f, i) => checks.push({ id: `layer_untouched_${i}`, type: 'file_unchanged', path: f, weight: 0 }));

    const solution = pyOracle(String.raw`
def parse(path):
    d = {}
    for raw in open(path):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        k, v = line.split("=", 1)
        k, v = k.strip(), v.strip()
        if v[:1] in ("'", '"'):
            v = v[1:v.index(v[0], 1)]
        else:
            v = re.sub(r"\s+#.*$", "", v)
        d[k] = v
    return d
merged = {}
for f in ${JSON.stringify(layerNames)}:
    merged.update(parse(f))
d = ${difficulty}
cfg = ${JSON.stringify(dir)}
if d >= 4:
    for k in [l.strip() for l in open(cfg + "/secret_keys.txt") if l.strip() and not l.startswith("#")]:
        merged.pop(k, None)
os.makedirs(os.path.dirname(${JSON.stringify(out)}), exist_ok=True)
open(${JSON.stringify(out)}, "w").write("".join("%s=%s\n" % (k, merged[k]) for k in sorted(merged)))
if d >= 2:
    req = [l.strip() for l in open(cfg + "/required_keys.txt") if l.strip()]
    open(${JSON.stringify(missingOut)}, "w").write("".join(k + "\n" for k in sorted(set(req) - set(merged))))
`);
    return {
      title: `Merge ${stage} env for ${svc}`,
      instruction,
      workspace,
      solution,
      checks,
      operations: ['inspect code or configuration files', 'modify code or configuration files', 'write structured results to local files'],
      tags: ['dotenv', 'config'],
    };
  },
};
