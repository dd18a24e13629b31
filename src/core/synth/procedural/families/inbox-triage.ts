/** Productivity & Collaboration: triage a folder of .eml messages into buckets by explicit rules, as JSON. */
import type { Family, FamilyOutput } from '../family.js';
import { voiced } from '../family.js';
import { DOW, MON3, pad2, weekday } from './calendar.js';
import { sortedStr } from './common.js';
import { q } from './json-path.js';
import { jsonRelayout, on, ruleMutants, shortcutMutant, variantMutant, type KitExtras, type KitRule } from './mutant-kit.js';
import { crowd } from './names.js';
import { say, slug } from './phrasing.js';
import { pyData, pyOracle } from './py-oracle.js';

const MY_DOMAINS = ['northwind.io', 'brightlane.com', 'tallpine.org', 'copperleaf.co', 'bluefjord.net', 'saltmarsh.dev', 'ironbridge.com', 'quillworks.io'];
const CLIENT_DOMAINS = ['acme.com', 'globex.net', 'initech.io', 'umbrella-health.org', 'stark-logistics.com', 'wayne-retail.com', 'hooli.co', 'vandelay.com', 'soylent.io', 'cyberdyne.ai', 'tyrell.co', 'wonka-foods.com'];
const VENDOR_DOMAINS = ['printhaus.de', 'cloudcart.io', 'officenest.com', 'swiftcourier.net', 'legalease.law', 'payroll-plus.com'];
const NEWS = [
  ['digest@news.productweekly.com', 'Product Weekly: 7 onboarding patterns'],
  ['hello@mail.figjam-tips.io', 'Your monthly design roundup'],
  ['news@updates.saasmetrics.co', 'SaaS Metrics digest — churn special'],
  ['team@newsletter.devbrief.io', 'DevBrief #212: edge functions'],
  ['offers@deals.officenest.com', 'Spring sale: 30% off chairs'],
  ['events@community.opsguild.org', 'Ops Guild meetup next Thursday'],
];
const WORK_SUBJECTS = [
  'Contract renewal terms', 'Invoice 4471 question', 'Q3 forecast numbers', 'Onboarding checklist for new hires', 'Feedback on the pilot',
  'Data export request', 'Kickoff agenda', 'Pricing page copy', 'SLA breach last night', 'Updated statement of work', 'Access to the staging site',
  'Travel booking for the offsite', 'Board deck draft', 'Shipment delayed at customs', 'Renewal quote', 'Security questionnaire',
  'Budget approval needed', 'Interview loop for Friday', 'Quarterly business review', 'Missing purchase order number',
];
const BODIES = [
  'Could you take a look when you have a minute?', 'Attaching the latest version for reference.', 'Let me know what you think.',
  'We need an answer before the end of the week.', 'Just keeping you in the loop on this.', 'Happy to jump on a call if easier.',
  'Following up on my note from last week.', 'Numbers are in the shared folder.', 'No action needed on your side yet.',
];

type Kind = 'news' | 'auto' | 'vip' | 'tagged' | 'to' | 'cc' | 'vipnews';

export const inboxTriage: Family = {
  id: 'inbox-triage',
  version: 2,
  category: 'Productivity & Collaboration',
  subcategory: 'email and inbox management',
  summary: 'Sort .eml messages into archive / urgent / reply / fyi buckets by stated header rules; write JSON.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const myDomain = rng.pick(MY_DOMAINS);
    const me = `${slug(ctx.persona.name).replace(/-/g, '.') || 'me'}@${myDomain}`;
    const vips = rng.sample(CLIENT_DOMAINS, 2 + (d >= 3 ? 1 : 0));
    const others = CLIENT_DOMAINS.filter((c) => !vips.includes(c));
    const folk = crowd(rng, 14);
    const n = 4 + d * 3 + rng.int(0, 2);
    const buckets = d === 1 ? ['urgent', 'fyi'] : d === 2 ? ['archive', 'urgent', 'fyi'] : ['archive', 'urgent', 'reply', 'fyi'];
    const kinds: Kind[] = ['vip', d >= 2 ? 'news' : 'to', d >= 3 ? 'to' : 'cc', d >= 3 ? 'tagged' : 'vip', d >= 4 ? 'auto' : 'cc'];
    const pool: Kind[] = ['vip', 'to', 'cc', ...(d >= 2 ? (['news'] as Kind[]) : []), ...(d >= 3 ? (['tagged'] as Kind[]) : []), ...(d >= 4 ? (['auto'] as Kind[]) : [])];
    // A client's own mailing list: bulk mail from a key domain, so the rule order decides it.
    if (d >= 2) kinds.push('vipnews');
    while (kinds.length < n) kinds.push(rng.pick(pool));
    const order = rng.shuffle(kinds);
    const year = rng.int(2023, 2026);
    const month = rng.int(1, 12);
    const files: Record<string, string> = {};
    const truth: Record<string, string[]> = Object.fromEntries(buckets.map((b) => [b, []]));
    const usedSubjects = new Set<string>();
    order.forEach((kind, i) => {
      const day = 1 + Math.floor((i * 27) / n);
      const minute = 7 * 60 + rng.int(0, 11 * 60);
      const date = `${DOW[weekday(year, month, day)]}, ${pad2(day)} ${MON3[month - 1]} ${year} ${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00 +0000`;
      const p = folk[i % folk.length]!;
      let subject = rng.pick(WORK_SUBJECTS);
      if (usedSubjects.has(subject)) subject = `${subject} (${p.first})`;
      usedSubjects.add(subject);
      let from = `${p.full} <${p.handle}@${rng.pick([myDomain, ...VENDOR_DOMAINS, ...others])}>`;
      let to = me;
      let cc = '';
      const extra: string[] = [];
      let body = `Hi,\n\n${rng.pick(BODIES)}\n\n${p.first}\n`;
      let bucket = 'fyi';
      if (kind === 'news') {
        const [addr, subj] = rng.pick(NEWS);
        from = `${subj!.split(/[:#—]/)[0]!.trim()} <${addr}>`;
        subject = usedSubjects.has(subj!) ? `${subj} (${i})` : subj!;
        usedSubjects.add(subject);
        extra.push(`List-Unsubscribe: <mailto:unsubscribe@${addr!.split('@')[1]}>`);
        body = `View this email in your browser.\n\n${subject}\n\nYou are receiving this because you subscribed.\n`;
        bucket = 'archive';
      } else if (kind === 'vipnews') {
        const v = rng.pick(vips);
        from = `${v.split('.')[0]!.replace(/-/g, ' ')} news <news@${v}>`;
        subject = `${rng.pick(['Product update', 'Partner newsletter', 'Release digest'])} from ${v.split('.')[0]}`;
        if (usedSubjects.has(subject)) subject = `${subject} (${i})`;
        usedSubjects.add(subject);
        extra.push(`List-Unsubscribe: <mailto:unsubscribe@${v}>`);
        body = `View this email in your browser.\n\n${subject}\n\nYou are receiving this because you subscribed.\n`;
        bucket = 'archive';
      } else if (kind === 'auto') {
        from = `${p.full} <${p.handle}@${rng.pick(vips)}>`;
        subject = `Automatic reply: ${subject}`;
        extra.push('Auto-Submitted: auto-replied');
        body = `I am out of the office until ${MON3[month - 1]} ${Math.min(28, day + 5)} with limited access to email.\n`;
        bucket = 'archive';
      } else if (kind === 'vip') {
        from = `${p.full} <${p.handle}@${rng.pick(vips)}>`;
        if (d >= 3 && rng.chance(0.4)) {
          to = `team@${myDomain}`;
          cc = me;
        }
        bucket = 'urgent';
      } else if (kind === 'tagged') {
        subject = `${rng.pick(['URGENT: ', '[Urgent] ', 'urgent - ', 'Re: URGENT '])}${subject}`;
        bucket = 'urgent';
      } else if (kind === 'to') {
        if (d >= 5 && rng.chance(0.5)) body = `Hi,\n\nForwarding what the ${rng.pick(vips)} team sent over. ${rng.pick(BODIES)}\n\n${p.first}\n`;
        bucket = d >= 3 ? 'reply' : 'fyi';
      } else {
        to = `${rng.pick(['all', 'team', 'ops', 'leads'])}@${myDomain}`;
        cc = me;
        bucket = 'fyi';
      }
      const name = `inbox/${pad2(i + 1)}-${slug(subject).slice(0, 32).replace(/-$/, '')}.eml`;
      const headers = [
        `From: ${from}`,
        `To: ${to}`,
        ...(cc ? [`Cc: ${cc}`] : []),
        `Subject: ${subject}`,
        `Date: ${date}`,
        `Message-ID: <${year}${pad2(month)}${pad2(day)}.${i + 1}.${rng.int(1000, 9999)}@${from.split('@')[1]!.replace('>', '')}>`,
        ...extra,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
      ];
      files[name] = `${headers.join('\n')}\n\n${body}`;
      truth[bucket]!.push(name.slice('inbox/'.length));
    });
    const vipInFile = d >= 3;
    const vipPath = rng.pick(['inbox-rules/vip_domains.txt', 'config/vip_domains.txt', 'vip_clients.txt']);
    if (vipInFile) files[vipPath] = `# key client domains — mail from these is always urgent\n${vips.join('\n')}\n`;
    const out = rng.pick(['triage.json', 'reports/inbox_triage.json', 'out/triage.json', 'mail_triage.json']);
    const vipText = vipInFile ? `any domain listed in \`${vipPath}\`` : vips.map((v) => `\`${v}\``).join(', ');
    const rules: string[] = [];
    const ruleSet: KitRule[] = [];
    const stated = (text: string, ...ids: string[]) => {
      rules.push(text);
      for (const id of ids) ruleSet.push({ id, text });
    };
    if (d >= 2) {
      stated(
        say(rng, [
          '- `archive`: newsletters and bulk mail (they carry a `List-Unsubscribe` header){auto}',
          '- `archive` — anything with a `List-Unsubscribe` header (mailing lists){auto}',
          '- bulk mail goes to `archive`: a message is bulk if it has a `List-Unsubscribe` header{auto}',
        ], { auto: d >= 4 ? ', plus automatic replies (an `Auto-Submitted` header)' : '' }),
        'archive-bulk', ...(d >= 4 ? ['archive-auto-replies'] : []),
      );
    }
    stated(
      say(rng, [
        '- `urgent`: sent from {vip}{tag}',
        '- `urgent` — the sender address is at {vip}{tag}',
        '- mail from {vip} is `urgent`{tag}',
      ], { vip: vipText, tag: d >= 3 ? ', or the subject contains the word "urgent" (any case)' : '' }),
      'urgent-key-domains', ...(d >= 3 ? ['urgent-subject'] : []),
    );
    if (d >= 3) stated(say(rng, ['- `reply`: my address ({me}) is in the To: line', '- `reply` — I am a direct recipient (To:, not just Cc:); I am {me}', '- anything addressed To: me ({me}) goes to `reply`'], { me }), 'reply-to-me');
    rules.push(say(rng, ['- `fyi`: everything else', '- `fyi` — whatever is left', '- all remaining mail is `fyi`']));
    const ask = say(rng, [
      'My inbox is a mess. Could you sort the {n} messages in `inbox/` into buckets for me?',
      'Please triage the emails saved under `inbox/` (.eml files) so I know what to deal with first.',
      'I exported my mailbox to `inbox/` — go through each of the {n} messages and file it into a bucket.',
      'Before my {dow} catch-up I need the mail in `inbox/` triaged.',
      'Can you do a first pass over the .eml files in `inbox/` and bucket them by the rules below?',
      'Help me get to inbox zero: the {n} messages in `inbox/` need sorting into buckets.',
    ], { n, dow: rng.pick(['Monday', 'morning', 'afternoon', 'weekly']) });
    const prec = buckets.map((b) => `\`${b}\``).join(' > ');
    const precText = d >= 2 ? say(rng, ['Buckets (first rule that matches wins: {prec}):', 'Rules, checked in this order ({prec}):', 'Use these buckets; if several apply, the earlier one wins ({prec}):'], { prec }) : 'Buckets:';
    if (d >= 2) ruleSet.push({ id: 'first-match-wins', text: precText });
    const format = say(rng, [
      'Write `{out}` as a JSON object with one key per bucket ({keys}); each value is the list of .eml file names (just the name, e.g. `{ex}`), sorted alphabetically.',
      'Save the result to `{out}`: an object whose keys are {keys}, each mapping to the sorted list of file names (like `{ex}`, no folder).',
      'Output goes in `{out}` — keys {keys}, values are alphabetically sorted lists of bare file names such as `{ex}`.',
    ], { out, keys: buckets.map((b) => `\`${b}\``).join(', '), ex: Object.values(truth).flat()[0]! });
    ruleSet.push({ id: 'bare-names', text: format }, { id: 'sorted-names', text: format });
    const instruction = voiced(ctx, ask, [
      precText,
      ...rules,
      '',
      format,
    ]);
    const oracle = (ig: ReadonlySet<string>) => pyOracle(`
from email import message_from_string
from email.utils import getaddresses, parseaddr
buckets = ${pyData(buckets)}
vips = ${vipInFile ? `[l.strip().lower() for l in open(${JSON.stringify(vipPath)}) if l.strip() and not l.startswith("#")]` : pyData(vips)}
me = ${JSON.stringify(me)}
out = {b: [] for b in buckets}
for path in sorted(glob.glob("inbox/*.eml")):
    m = message_from_string(open(path, encoding="utf-8").read())
    sender = parseaddr(m["From"])[1].lower()
    to = [a.lower() for _, a in getaddresses([m.get("To", "")])]
    hits = []
    if "archive" in buckets and ((${on(ig, 'archive-bulk')} and m["List-Unsubscribe"]) or (${on(ig, 'archive-auto-replies', d >= 4)} and (m["Auto-Submitted"] or "no").lower() != "no")):
        hits.append("archive")
    if (${on(ig, 'urgent-key-domains')} and sender.split("@")[-1] in vips) or (${on(ig, 'urgent-subject', d >= 3)} and re.search(r"\\burgent\\b", m["Subject"], re.I)):
        hits.append("urgent")
    if "reply" in buckets and ${on(ig, 'reply-to-me')} and me in to:
        hits.append("reply")
    b = (hits[0] if ${on(ig, 'first-match-wins')} else hits[-1]) if hits else "fyi"
    out[b].append(os.path.basename(path) if ${on(ig, 'bare-names')} else path)
os.makedirs(os.path.dirname(${JSON.stringify(out)}) or ".", exist_ok=True)
json.dump({k: sorted(v) if ${on(ig, 'sorted-names')} else sorted(v, reverse=True) for k, v in out.items()}, open(${JSON.stringify(out)}, "w"), indent=2)
`);
    const solution = oracle(new Set());
    const mutants = [
      ...ruleMutants(ruleSet, oracle),
      shortcutMutant('all-fyi', 'files every message under `fyi`', oracle(new Set(ruleSet.map((r) => r.id).filter((r) => r !== 'bare-names' && r !== 'sorted-names')))),
      variantMutant('json-layout', 'JSON re-indented with sorted keys', solution, jsonRelayout([out])),
    ];
    const result: FamilyOutput & KitExtras = {
      title: `Triage ${n} inbox messages into ${buckets.length} buckets`,
      instruction,
      workspace: files,
      solution,
      rules: ruleSet,
      mutants,
      checks: [
        { id: 'output_exists', type: 'file_exists', path: out },
        ...buckets.map((b) => ({ id: `bucket_${b}`, type: 'json_path' as const, path: out, query: q(b), equals: sortedStr(truth[b]!) })),
        { id: 'inbox_untouched', type: 'no_unexpected_files', allow: [out], weight: 0 },
      ],
      operations: ['read local text files', 'classify or categorize items', 'write structured JSON output'],
      tags: ['email'],
    };
    return result;
  },
};
