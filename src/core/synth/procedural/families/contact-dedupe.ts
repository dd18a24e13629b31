/** Productivity & Collaboration: merge contact exports (CSV, vCard) into one deduplicated, normalised list. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { csvText } from './csv.js';
import { crowd } from './names.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Hooli', 'Vandelay Industries', 'Stark Logistics', 'Wonka Foods', 'Tyrell Labs', 'Soylent', 'Umbrella Health', 'Blue Harbor', 'Pied Piper', 'Dunder Mifflin', 'Oscorp', 'Gringotts Advisory'];
const DOMAINS = ['acme.com', 'globex.net', 'initech.io', 'hooli.co', 'vandelay.com', 'starklog.com', 'wonka.com', 'tyrell.ai', 'soylent.io', 'umbrella.org', 'blueharbor.co', 'piedpiper.com', 'dundermifflin.com', 'oscorp.com', 'gringotts.uk'];

interface Rec {
  name: string;
  email: string;
  phone: string;
  company: string;
}

function fmtPhone(rng: { pick<T>(x: readonly T[]): T }, canon: string, fancy: boolean): string {
  if (!canon || !fancy) return canon;
  if (canon.startsWith('+1')) {
    const n = canon.slice(2);
    const [a, b, c] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
    return rng.pick([`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, canon]);
  }
  const n = canon.slice(3);
  return rng.pick([`+44 ${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`, `+44 (0)${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`.replace('(0)', ''), canon]);
}

function fmtEmail(rng: { pick<T>(x: readonly T[]): T; chance(p: number): boolean }, e: string, messy: boolean): string {
  if (!messy || !e) return e;
  const cased = rng.chance(0.5) ? e.replace(/^./, (c) => c.toUpperCase()).replace(/@(.)/, (_, c: string) => `@${c.toUpperCase()}`) : e;
  return rng.chance(0.3) ? ` ${cased} ` : cased;
}

export const contactDedupe: Family = {
  id: 'contact-dedupe',
  version: 1,
  category: 'Productivity & Collaboration',
  subcategory: 'contacts and CRM hygiene',
  summary: 'Merge contact exports (CSV / vCard), dedupe by email, normalise phones and names, write a sorted CSV.',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const nPeople = 5 + d * 3 + rng.int(0, 3);
    const folk = crowd(rng, nPeople);
    const truthPeople = folk.map((p) => {
      const ci = rng.int(0, COMPANIES.length - 1);
      const uk = d >= 3 && rng.chance(0.25);
      const phone = uk ? `+4420${rng.int(10000000, 99999999)}` : `+1${rng.int(201, 989)}555${String(rng.int(100, 9999)).padStart(4, '0')}`;
      return { name: p.full, first: p.first, last: p.last, email: `${p.handle}@${DOMAINS[ci]}`, phone, company: COMPANIES[ci]! };
    });
    const sources = d === 1 ? ['crm'] : d <= 3 ? ['crm', 'phone'] : ['crm', 'phone', 'vcf'];
    const rows: Record<string, Array<Rec & { last: string; first: string }>> = { crm: [], phone: [], vcf: [] };
    for (const p of truthPeople) {
      const where = rng.sample(sources, rng.int(1, sources.length));
      if (d === 1 && rng.chance(0.45)) where.push('crm'); // duplicates within the one file
      for (const s of where) {
        const blank = (x: string) => (rng.chance(0.3) ? '' : x);
        rows[s]!.push({ name: s === 'crm' && d >= 4 ? blank(p.name) : p.name, email: p.email, phone: blank(p.phone), company: s === 'phone' ? '' : blank(p.company), first: p.first, last: p.last });
      }
    }
    for (const s of sources) rows[s] = rng.shuffle(rows[s]!);
    // Contacts with no email (d5): dropped from the merge, listed separately.
    const noEmail = d >= 5 ? crowd(rng, nPeople + 3).slice(nPeople).filter((p) => !truthPeople.some((t) => t.name === p.full)).slice(0, 2) : [];
    for (const p of noEmail) rows.crm!.splice(rng.int(0, rows.crm!.length), 0, { name: p.full, email: '', phone: `+1${rng.int(201, 989)}5550${rng.int(100, 999)}`, company: rng.pick(COMPANIES), first: p.first, last: p.last });
    // The merge, in source order then row order: first non-empty value wins.
    const merged = new Map<string, Rec>();
    for (const s of sources) {
      for (const r of rows[s]!) {
        if (!r.email) continue;
        const cur = merged.get(r.email) ?? { name: '', email: r.email, phone: '', company: '' };
        cur.name ||= r.name;
        cur.phone ||= r.phone;
        cur.company ||= r.company;
        merged.set(r.email, cur);
      }
    }
    const truth = [...merged.values()].sort((a, b) => cmp(a.email, b.email));
    const fancy = d >= 3;
    const files: Record<string, string> = {};
    files['contacts/crm_export.csv'] = csvText(['name', 'email', 'phone', 'company'], rows.crm!.map((r) => [r.name, fmtEmail(rng, r.email, d >= 2), fmtPhone(rng, r.phone, fancy), r.company]));
    if (sources.includes('phone')) files['contacts/phone_export.csv'] = csvText(['Full Name', 'E-mail', 'Mobile'], rows.phone!.map((r) => [d >= 4 ? `${r.last}, ${r.first}` : r.name, fmtEmail(rng, r.email, d >= 2), fmtPhone(rng, r.phone, fancy)]));
    if (sources.includes('vcf')) {
      files['contacts/conference.vcf'] = rows.vcf!
        .map((r) => ['BEGIN:VCARD', 'VERSION:3.0', `N:${r.last};${r.first};;;`, `FN:${r.name}`, `EMAIL;TYPE=work:${fmtEmail(rng, r.email, true).trim()}`, ...(r.phone ? [`TEL;TYPE=cell:${fmtPhone(rng, r.phone, fancy)}`] : []), ...(r.company ? [`ORG:${r.company}`] : []), 'END:VCARD'].join('\r\n'))
        .join('\r\n') + '\r\n';
    }
    const out = rng.pick(['contacts/merged.csv', 'contacts_clean.csv', 'out/contacts.csv', 'contacts/deduplicated.csv']);
    const noEmailOut = 'contacts/no_email.txt';
    const srcList = Object.keys(files).map((f) => `\`${f}\``);
    const ask = say(rng, [
      'Our address book is full of duplicates. Please merge {src} into one clean list.',
      'Could you dedupe the contacts in {src}? The same people show up more than once.',
      'I need a single contact list built from {src} — {n} rows in total, many of them repeats.',
      'Clean up our contacts: combine {src} and get rid of the duplicates.',
      'Before we import into the new CRM, merge and deduplicate {src} for me.',
    ], { src: srcList.join(srcList.length > 2 ? ', ' : ' and '), n: sources.reduce((a, s) => a + rows[s]!.length, 0) });
    const details = [
      say(rng, [
        '- Two rows are the same person when their email matches, ignoring case and surrounding spaces; write emails in lowercase.',
        '- Match people by email address (case-insensitive, trimmed). Output emails lowercased.',
        '- The email is the key: compare it trimmed and lowercased, and write it lowercased.',
      ]),
      say(rng, [
        '- When values disagree or are missing, take the first non-empty value, reading {order}, each from top to bottom.',
        '- For each field keep the first non-empty value found, going through {order} in that order, rows top to bottom.',
        '- Fill each field from the first row that has it, in the order {order} (top to bottom within a file).',
      ], { order: srcList.join(', then ') }),
    ];
    if (fancy) details.push(say(rng, [
      '- Normalise phone numbers to `+` and digits only (e.g. `+12125550147`); a number without a country code is a US number (+1).',
      '- Phones: strip spaces, dots, dashes and brackets so they read like `+442079460123`; numbers with no country code get +1.',
      '- Write phones in E.164 style (`+` then digits, no separators); assume +1 where no country code is given.',
    ]));
    if (d >= 4) details.push(say(rng, ['- Names go in "First Last" order (the phone export has "Last, First").', '- Some names are written "Last, First" — output them as "First Last".']));
    if (d >= 5) details.push(say(rng, ['- Rows without an email cannot be merged: leave them out, and list their names (one per line, sorted) in `{f}`.', '- Drop rows that have no email address, but put those names, sorted, one per line, into `{f}`.'], { f: noEmailOut }));
    details.push(say(rng, [
      'Write `{out}` with the header `name,email,phone,company`, one row per person, sorted by email. Leave a cell empty if no source has it.',
      'Save it as `{out}` (columns `name,email,phone,company`), sorted by email address; empty cells where nothing is known.',
      'The result goes to `{out}` — header `name,email,phone,company`, rows ordered by email, blanks for unknown values.',
    ], { out }));
    const instruction = voiced(ctx, ask, details);
    const solution = pyOracle(`
def phone(p):
    p = p.strip()
    if not p or not ${fancy ? 'True' : 'False'}:
        return p
    digits = re.sub(r"\\D", "", p)
    return "+" + digits if p.startswith("+") else "+1" + digits
def name(n):
    n = n.strip()
    if "," in n:
        last, first = [x.strip() for x in n.split(",", 1)]
        return first + " " + last
    return n
recs = []
no_email = []
for r in csv.DictReader(open("contacts/crm_export.csv", encoding="utf-8")):
    recs.append((r["name"], r["email"], r["phone"], r["company"]))
if os.path.exists("contacts/phone_export.csv"):
    for r in csv.DictReader(open("contacts/phone_export.csv", encoding="utf-8")):
        recs.append((r["Full Name"], r["E-mail"], r["Mobile"], ""))
if os.path.exists("contacts/conference.vcf"):
    cur = None
    for line in open("contacts/conference.vcf", encoding="utf-8").read().splitlines():
        if line == "BEGIN:VCARD":
            cur = {}
        elif line == "END:VCARD":
            recs.append((cur.get("FN", ""), cur.get("EMAIL", ""), cur.get("TEL", ""), cur.get("ORG", "")))
        elif ":" in line:
            k, v = line.split(":", 1)
            cur[k.split(";")[0]] = v
merged = {}
for n, e, p, c in recs:
    e = e.strip().lower()
    if not e:
        no_email.append(name(n))
        continue
    m = merged.setdefault(e, {"name": "", "email": e, "phone": "", "company": ""})
    m["name"] = m["name"] or name(n)
    m["phone"] = m["phone"] or phone(p)
    m["company"] = m["company"] or c.strip()
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(["name", "email", "phone", "company"])
    for e in sorted(merged):
        m = merged[e]
        w.writerow([m["name"], m["email"], m["phone"], m["company"]])
if ${d >= 5 ? 'True' : 'False'}:
    open(${JSON.stringify(noEmailOut)}, "w").write("".join(n + "\\n" for n in sorted(no_email)))
`);
    return {
      title: `Merge and dedupe ${sources.length} contact export${sources.length > 1 ? 's' : ''}`,
      instruction,
      workspace: files,
      solution,
      checks: [
        { id: 'csv_shape', type: 'csv', path: out, columns: ['name', 'email', 'phone', 'company'], row_count: truth.length },
        {
          id: 'csv_rows',
          type: 'csv',
          path: out,
          cells: truth.flatMap((t, row) => (['name', 'email', 'phone', 'company'] as const).map((column) => ({ row, column, equals: t[column] }))),
        },
        ...(d >= 5 ? [{ id: 'no_email_list', type: 'text_equals' as const, path: noEmailOut, text: noEmail.map((p) => p.full).sort(cmp).join('\n') + '\n' }] : []),
      ],
      operations: ['read and parse CSV files', 'deduplicate records', 'normalize data formats', 'write CSV output'],
      tags: ['contacts'],
    };
  },
};
