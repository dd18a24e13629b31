/** Productivity & Collaboration: triage a folder of .eml messages into buckets by explicit rules, as JSON. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { DOW, MON3, pad2, weekday } from './calendar.js';
import { sortedStr } from './common.js';
import { q } from './json-path.js';
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

type Kind = 'news' | 'auto' | 'vip' | 'tagged' | 'to' | 'cc';

export const inboxTriage: Family = {
  id: 'inbox-triage',
  version: 1,
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
    if (d >= 2) {
      rules.push(
        say(rng, [
          '- `archive`: newsletters and bulk mail (they carry a `List-Unsubscribe` header){auto}',
          '- `archive` — anything with a `List-Unsubscribe` header (mailing lists){auto}',
          '- bulk mail goes to `archive`: a message is bulk if it has a `List-Unsubscribe` header{auto}',
        ], { auto: d >= 4 ? ', plus automatic replies (an `Auto-Submitted` header)' : '' }),
      );
    }
    rules.push(
      say(rng, [
        '- `urgent`: sent from {vip}{tag}',
        '- `urgent` — the sender address is at {vip}{tag}',
        '- mail from {vip} is `urgent`{tag}',
      ], { vip: vipText, tag: d >= 3 ? ', or the subject contains the word "urgent" (any case)' : '' }),
    );
    if (d >= 3) rules.push(say(rng, ['- `reply`: my address ({me}) is in the To: line', '- `reply` — I am a direct recipient (To:, not just Cc:); I am {me}', '- anything addressed To: me ({me}) goes to `reply`'], { me }));
    rules.push(say(rng, ['- `fyi`: everything else', '- `fyi` — whatever is left', '- all remaining mail is `fyi`']));
    const prec = buckets.map((b) => `\`${b}\``).join(' > ');
    const ask = say(rng, [
      'My inbox is a mess. Could you sort the {n} messages in `inbox/` into buckets for me?',
      'Please triage the emails saved under `inbox/` (.eml files) so I know what to deal with first.',
      'I exported my mailbox to `inbox/` — go through each of the {n} messages and file it into a bucket.',
      'Before my {dow} catch-up I need the mail in `inbox/` triaged.',
      'Can you do a first pass over the .eml files in `inbox/` and bucket them by the rules below?',
      'Help me get to inbox zero: the {n} messages in `inbox/` need sorting into buckets.',
    ], { n, dow: rng.pick(['Monday', 'morning', 'afternoon', 'weekly']) });
    const instruction = voiced(ctx, ask, [
      say(rng, ['Buckets (first rule that matches wins: {prec}):', 'Rules, checked in this order ({prec}):', 'Use these buckets; if several apply, the earlier one wins ({prec}):'], { prec }),
      ...rules,
      '',
      say(rng, [
        'Write `{out}` as a JSON object with one key per bucket ({keys}); each value is the list of .eml file names (just the name, e.g. `{ex}`), sorted alphabetically. Use an empty list for an empty bucket.',
        'Save the result to `{out}`: an object whose keys are {keys}, each mapping to the sorted list of file names (like `{ex}`, no folder), [] when empty.',
        'Output goes in `{out}` — keys {keys}, values are alphabetically sorted lists of bare file names such as `{ex}`; empty buckets get [].',
      ], { out, keys: buckets.map((b) => `\`${b}\``).join(', '), ex: Object.values(truth).flat()[0]! }),
    ]);
    const solution = pyOracle(`
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
    b = "fyi"
    if "archive" in buckets and (m["List-Unsubscribe"] or ${d >= 4 ? '(m["Auto-Submitted"] or "no").lower() != "no"' : 'False'}):
        b = "archive"
    elif sender.split("@")[-1] in vips or (${d >= 3 ? 'True' : 'False'} and re.search(r"\\burgent\\b", m["Subject"], re.I)):
        b = "urgent"
    elif "reply" in buckets and me in to:
        b = "reply"
    out[b].append(os.path.basename(path))
os.makedirs(os.path.dirname(${JSON.stringify(out)}) or ".", exist_ok=True)
json.dump({k: sorted(v) for k, v in out.items()}, open(${JSON.stringify(out)}, "w"), indent=2)
`);
    return {
      title: `Triage ${n} inbox messages into ${buckets.length} buckets`,
      instruction,
      workspace: files,
      solution,
      checks: [
        { id: 'output_exists', type: 'file_exists', path: out },
        ...buckets.map((b) => ({ id: `bucket_${b}`, type: 'json_path' as const, path: out, query: q(b), equals: sortedStr(truth[b]!) })),
        { id: 'inbox_untouched', type: 'no_unexpected_files', allow: [out], weight: 0 },
      ],
      operations: ['read local text files', 'classify or categorize items', 'write structured JSON output'],
      tags: ['email'],
    };
  },
};
