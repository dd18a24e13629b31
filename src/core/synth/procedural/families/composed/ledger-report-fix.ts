/**
 * Software Dev: the month's ledger report is wrong. Reconcile the ledger with the bank statement
 * → find and fix the bug(s) in the report script (a hidden ledger proves the fix is general) →
 * regenerate the report → note the fix and the corrected total in the changelog's Unreleased
 * section. An older copy of the script in backup/ has a different bug.
 */
import type { CheckInput, Family } from '../../family.js';
import { centsUs, cents2, clutter, cmp, csvOf, daysIn, iso, json, MONTH_NAMES, pad2, put, py, request, say, sh, shortcut, variant, wrong, type ComposedOutput, type Rule } from './kit.js';
import type { Rng } from '../../../../rng.js';
import { heredoc } from '../pykit.js';

const ACCOUNTS = ['rent', 'payroll', 'software', 'travel', 'marketing', 'office', 'contractors', 'utilities'];
const VENDORS = ['Acme Supplies', 'Northwind', 'Globex', 'Initech', 'Umbrella Co', 'Hooli', 'Stark Logistics', 'Wayne Office'];

type Bug = 'thousands' | 'refunds' | 'last-day' | 'truncate';
const BUGS: readonly Bug[] = ['thousands', 'refunds', 'last-day', 'truncate'];

interface Row {
  id: string;
  date: string;
  account: string;
  vendor: string;
  cents: number;
}

/** The report script, with the given bugs in it. */
function script(bugs: ReadonlySet<Bug>): string {
  return `#!/usr/bin/env python3
"""Monthly ledger report.

Usage: python3 scripts/monthly_report.py <ledger.csv> <out.json> <YYYY-MM>
"""
import csv
import json
import sys
from calendar import monthrange


def month_bounds(ym):
    y, m = map(int, ym.split("-"))
    return f"{ym}-01", f"{ym}-{monthrange(y, m)[1]:02d}"


def parse_amount(raw):
    return float(raw${bugs.has('thousands') ? '' : '.replace(",", "")'})


def main(src, out, ym):
    start, end = month_bounds(ym)
    total = 0
    by_account = {}
    entries = 0
    with open(src, newline="") as f:
        for row in csv.DictReader(f):
            if not (start <= row["date"] ${bugs.has('last-day') ? '<' : '<='} end):
                continue
            try:
                amount = parse_amount(row["amount"])
            except ValueError:
                continue  # a malformed row
${bugs.has('refunds') ? '            if amount <= 0:\n                continue  # nothing to report\n' : ''}            cents = ${bugs.has('truncate') ? 'int(amount * 100)' : 'round(amount * 100)'}
            total += cents
            by_account[row["account"]] = by_account.get(row["account"], 0) + cents
            entries += 1
    report = {
        "month": ym,
        "entries": entries,
        "total": total / 100,
        "by_account": {k: v / 100 for k, v in sorted(by_account.items())},
    }
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
`;
}

/** What the script with these bugs reports for these rows. */
function report(rows: readonly Row[], ym: string, bugs: ReadonlySet<Bug>): { month: string; entries: number; total: number; by_account: Record<string, number> } {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const end = `${ym}-${pad2(daysIn(y, m))}`;
  let total = 0;
  let entries = 0;
  const by: Record<string, number> = {};
  for (const r of rows) {
    if (!(r.date >= `${ym}-01` && (bugs.has('last-day') ? r.date < end : r.date <= end))) continue;
    if (bugs.has('thousands') && Math.abs(r.cents) >= 100_000) continue;
    if (bugs.has('refunds') && r.cents <= 0) continue;
    const c = bugs.has('truncate') ? Math.trunc((r.cents / 100) * 100) : r.cents;
    total += c;
    by[r.account] = (by[r.account] ?? 0) + c;
    entries++;
  }
  return { month: ym, entries, total: total / 100, by_account: Object.fromEntries(Object.entries(by).sort((a, b) => cmp(a[0], b[0])).map(([k, v]) => [k, v / 100])) };
}

/** Cents whose float value times 100 truncates one cent low (0.29 → 28): the truncation bug's witness. */
function truncWitness(rng: Rng): number {
  for (;;) {
    const c = rng.int(1_000, 90_000);
    if (Math.trunc((c / 100) * 100) !== c) return c;
  }
}

/** A month of ledger rows exercising every bug: big amounts, refunds, last-day rows, truncating cents. */
function ledger(rng: Rng, y: number, m: number, n: number, accounts: string[], prefix: string): Row[] {
  const last = daysIn(y, m);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 6;
    const cents = kind === 0 ? rng.int(100_000, 900_000) : kind === 1 ? -rng.int(1_000, 30_000) : kind === 2 ? truncWitness(rng) : rng.int(1_000, 95_000);
    const day = kind === 3 ? last : rng.int(1, last);
    rows.push({ id: `${prefix}-${1000 + i * 7 + rng.int(0, 6)}`, date: iso(y, m, day), account: rng.pick(accounts), vendor: rng.pick(VENDORS), cents });
  }
  return rows.sort((a, b) => cmp(a.date, b.date) || cmp(a.id, b.id));
}

export const ledgerReportFix: Family = {
  id: 'ledger-report-fix',
  version: 1,
  category: 'Software Dev',
  subcategory: 'debugging and issue fixing',
  summary: 'Reconcile a ledger with the bank statement, fix the report script that gets the month wrong, regenerate the report, note it in the changelog.',
  generate(ctx): ComposedOutput {
    const { rng, difficulty: d } = ctx;
    const y = rng.int(2023, 2025);
    const m = rng.int(1, 11);
    const ym = `${y}-${pad2(m)}`;
    const monthName = MONTH_NAMES[m - 1]!;
    const accounts = rng.sample(ACCOUNTS, 3 + Math.min(d, 4));
    const bugs = new Set<Bug>(rng.sample(BUGS, d >= 4 ? 2 : 1));
    const oldBug = rng.pick(BUGS.filter((b) => !bugs.has(b)));
    const rows = ledger(rng, y, m, 10 + d * 6, accounts, 'ENT');
    // d3+: rows posted early for next month sit in the same file; the script's month filter drops them.
    if (d >= 3) for (let i = 0; i < 2; i++) rows.push({ id: `ENT-${2000 + i}`, date: iso(m === 12 ? y + 1 : y, (m % 12) + 1, 1 + i), account: rng.pick(accounts), vendor: rng.pick(VENDORS), cents: rng.int(2_000, 50_000) });
    const monthRows = rows.filter((r) => r.date.startsWith(ym));
    // Not yet cleared: one or two of the last entries; the bank's own fees are not in the ledger.
    const uncleared = new Set(rng.sample(monthRows.filter((r) => r.cents > 0 && r.date >= iso(y, m, daysIn(y, m) - 6)).map((r) => r.id), 1 + (d >= 3 ? 1 : 0)));
    if (!uncleared.size) uncleared.add(monthRows[monthRows.length - 1]!.id);
    const fees = Array.from({ length: 1 + Math.floor(d / 2) }, (_, i) => ({ ref: `FEE-${ym.replace('-', '')}-${i + 1}`, date: iso(y, m, rng.int(1, daysIn(y, m))), cents: rng.int(250, 4_500) }));
    const bankLines = [
      ...monthRows.filter((r) => !uncleared.has(r.id)).map((r) => ({ date: r.date, desc: `${r.cents < 0 ? 'REFUND' : 'PAYMENT'} ${r.id} ${r.vendor.toUpperCase()}`, cents: -r.cents })),
      ...fees.map((f) => ({ date: f.date, desc: `${f.ref} ACCOUNT FEE`, cents: -f.cents })),
    ].sort((a, b) => cmp(b.date, a.date) || cmp(a.desc, b.desc));

    const truth = report(rows, ym, new Set());
    const buggy = report(rows, ym, bugs);
    const ledgerPath = `data/ledger_${ym}.csv`;
    const reportPath = `reports/monthly_report_${ym}.json`;
    const reconPath = `reports/reconciliation_${ym}.json`;
    const prevYm = m === 1 ? `${y - 1}-12` : `${y}-${pad2(m - 1)}`;
    const files: Record<string, string> = {
      [ledgerPath]: csvOf(['entry_id', 'date', 'account', 'vendor', 'amount'], rows.map((r) => [r.id, r.date, r.account, r.vendor, centsUs(r.cents)])),
      [`data/bank_statement_${ym}.csv`]: csvOf(['date', 'description', 'amount'], bankLines.map((b) => [b.date, b.desc, cents2(b.cents)])),
      'scripts/monthly_report.py': script(bugs),
      'backup/monthly_report.py.orig': script(new Set([oldBug])),
      [reportPath]: json(buggy),
      'reports/report_old.json': json({ month: prevYm, entries: rng.int(20, 40), total: rng.int(500_000, 2_000_000) / 100, by_account: {} }),
      'README.md': `# Books\n\nThe monthly report is generated, never edited by hand:\n\n    python3 scripts/monthly_report.py data/ledger_YYYY-MM.csv reports/monthly_report_YYYY-MM.json YYYY-MM\n\nLedger amounts are money out (refunds are negative); they may carry thousands separators.\n`,
      'CHANGELOG.md': `# Changelog\n\n## [Unreleased]\n\n## [1.${rng.int(2, 6)}.0] - ${prevYm}-0${rng.int(1, 9)}\n\n### Added\n\n- Per-account totals in the monthly report.\n\n## [1.1.0] - ${y - 1}-0${rng.int(1, 9)}-1${rng.int(0, 9)}\n\n### Fixed\n\n- The report no longer crashes on an empty ledger.\n`,
      ...clutter(rng, d),
    };

    const notInBank = [...uncleared].sort(cmp);
    const notInLedger = fees.map((f) => f.ref).sort(cmp);
    const recon = (o: { signFlip?: boolean } = {}) => {
      const bankOut = bankLines.reduce((a, b) => a + b.cents, 0) * (o.signFlip ? 1 : -1);
      return { not_in_bank: notInBank, not_in_ledger: notInLedger, difference: (Math.round(truth.total * 100) - bankOut) / 100 };
    };
    const changelog = (total: number, where: 'unreleased' | 'end' = 'unreleased') =>
      py(`p = "CHANGELOG.md"\ns = open(p).read()\nline = ${JSON.stringify(`### Fixed\n\n- monthly_report.py: corrected the ${monthName} ${y} report; the total is now ${cents2(Math.round(total * 100))}.\n\n`)}\n${where === 'end' ? 's = s + "\\n" + line' : 's = s.replace("## [Unreleased]\\n\\n", "## [Unreleased]\\n\\n" + line, 1)'}\nopen(p, "w").write(s)`);
    const run = `python3 scripts/monthly_report.py ${ledgerPath} ${reportPath} ${ym}\n`;
    const solve = (o: { fixed?: string; handReport?: boolean; signFlip?: boolean; where?: 'end'; indent?: number; clTotal?: number } = {}) =>
      sh(
        o.handReport ? put(reportPath, json(truth)) : `${o.fixed ?? put('scripts/monthly_report.py', script(new Set()))}${run}`,
        put(reconPath, json(recon(o), o.indent ?? 2)),
        changelog(o.clTotal ?? truth.total, o.where),
      );

    // A hidden ledger of another month exercises every bug, so only a general fix passes.
    const hy = y + 1;
    const hm = rng.int(1, 12);
    const hidden = ledger(rng.fork(7), hy, hm, 18, accounts, 'HID');
    const hiddenYm = `${hy}-${pad2(hm)}`;
    const want = report(hidden, hiddenYm, new Set());
    const hiddenCsv = csvOf(['entry_id', 'date', 'account', 'vendor', 'amount'], hidden.map((r) => [r.id, r.date, r.account, r.vendor, centsUs(r.cents)]));
    const hiddenCheck = `set -e\nd=$(mktemp -d)\n${heredoc('"$d/l.csv"', hiddenCsv)}python3 scripts/monthly_report.py "$d/l.csv" "$d/out.json" ${hiddenYm}\nOUT="$d/out.json" ${py(`got = json.load(open(os.environ["OUT"]))\nwant = json.loads(${JSON.stringify(JSON.stringify(want))})\nassert got["entries"] == want["entries"], (got["entries"], want["entries"])\nassert abs(got["total"] - want["total"]) < 0.005, (got["total"], want["total"])\nassert set(got["by_account"]) == set(want["by_account"])\nassert all(abs(got["by_account"][k] - v) < 0.005 for k, v in want["by_account"].items())`)}`;

    const rules: Rule[] = [
      { id: 'fix-script', text: 'Fix scripts/monthly_report.py itself (the report is generated, never hand-edited); a fixed script gets every month right.' },
      { id: 'ignore-backup', text: 'backup/monthly_report.py.orig is an older version with its own problems; do not restore it.' },
      { id: 'bank-sign', text: 'The statement shows money out as negative; difference = report total minus the money out on the statement.' },
      { id: 'unreleased', text: 'The changelog line goes under [Unreleased], in a Fixed section, with the corrected total.' },
    ];
    const checks: CheckInput[] = [
      { id: 'script_fixed', type: 'command', run: hiddenCheck, weight: 2, timeout_sec: 60, description: 'the report script gets a hidden month right' },
      // A value the broken script already got right is reported, not scored (nop scores 0).
      { id: 'report_entries', type: 'json_path', path: reportPath, query: '$.entries', equals: truth.entries, weight: truth.entries === buggy.entries ? 0 : 1 },
      { id: 'report_total', type: 'json_path', path: reportPath, query: '$.total', equals: truth.total, tolerance: 0.005 },
      ...Object.entries(truth.by_account).map(([a, v]) => ({ id: `report_${a}`, type: 'json_path' as const, path: reportPath, query: `$.by_account.${a}`, equals: v, tolerance: 0.005, weight: buggy.by_account[a] === v ? 0 : 1 })),
      { id: 'recon_not_in_bank', type: 'json_path', path: reconPath, query: '$.not_in_bank', equals: notInBank },
      { id: 'recon_not_in_ledger', type: 'json_path', path: reconPath, query: '$.not_in_ledger', equals: notInLedger },
      { id: 'recon_difference', type: 'json_path', path: reconPath, query: '$.difference', equals: recon().difference, tolerance: 0.005 },
      { id: 'changelog_unreleased', type: 'text_matches', path: 'CHANGELOG.md', pattern: `## \\[Unreleased\\]\\s*\\n(?:(?!## \\[)[\\s\\S])*### Fixed(?:(?!## \\[)[\\s\\S])*${cents2(Math.round(truth.total * 100)).replace('.', '\\.')}`, flags: '' },
      { id: 'ledger_untouched', type: 'file_unchanged', path: ledgerPath, weight: 0 },
    ];

    const ask = say(rng, [
      `Our ${monthName} ${y} ledger report (\`${reportPath}\`) doesn't match what the bank says, and I don't trust the script that makes it.`,
      `Something is off with the ${monthName} numbers: \`${reportPath}\` disagrees with the bank statement. I suspect \`scripts/monthly_report.py\`.`,
    ]);
    const paragraphs = [
      say(rng, [
        `Could you reconcile \`${ledgerPath}\` with \`data/bank_statement_${ym}.csv\` first? The statement names each ledger entry by its id in the description; money out shows as a negative amount there (a refund is positive). Write \`${reconPath}\` with \`not_in_bank\` (ledger entry ids of ${monthName} that the bank hasn't cleared), \`not_in_ledger\` (statement references such as the bank's fees, e.g. \`FEE-…\`, with no ledger entry), both sorted, and \`difference\`: the report's corrected total minus the money out on the statement (the negated sum of its amounts), to the cent.`,
        `Step one is a reconciliation of \`${ledgerPath}\` against \`data/bank_statement_${ym}.csv\`: each statement line carries the ledger entry id in its description, and outgoing money is negative on the statement (refunds positive). Put it in \`${reconPath}\` — \`not_in_bank\`: the ${monthName} entry ids the bank has not cleared; \`not_in_ledger\`: the statement's references without a ledger entry (its \`FEE-…\` lines); both lists sorted; \`difference\`: corrected report total minus money out per the statement (minus the sum of its amounts), to the cent.`,
      ]),
      say(rng, [
        'Then find out why the script gets the month wrong and fix it — in the script, not by editing the JSON: every ledger row of the month counts, refunds included, amounts can have thousands separators, and totals must be exact to the cent. We will run it on other months too. There is an old copy in `backup/`; it has problems of its own, so please don\'t just restore it.',
        'After that, fix `scripts/monthly_report.py` so it is right for any month (every row of the month, refunds and amounts like `1,234.50` included, totals exact to the cent) — I\'ll be running it on other ledgers, so hand-editing the report won\'t do. `backup/monthly_report.py.orig` is older and broken in its own way; don\'t roll back to it.',
      ]),
      say(rng, [
        `Regenerate \`${reportPath}\` with the fixed script (the command is in README.md) and add a \`### Fixed\` entry under \`## [Unreleased]\` in CHANGELOG.md that says what was wrong and gives the corrected ${monthName} total (two decimals, e.g. 1234.50).`,
        `Finally re-run it to regenerate \`${reportPath}\` (see README.md) and note the fix in CHANGELOG.md: a \`### Fixed\` section under \`## [Unreleased]\`, one line with the cause and the corrected total as a plain two-decimal number.`,
      ]),
    ];
    const instruction = request(ctx, ask, paragraphs);
    const fixedDecimal = put('scripts/monthly_report.py', script(new Set()).replace('import csv\n', 'import csv\nfrom decimal import Decimal\n').replace('return float(raw.replace(",", ""))', 'return Decimal(raw.replace(",", ""))').replace('round(amount * 100)', 'int(amount * 100)').replace('"total": total / 100', '"total": float(Decimal(total) / 100)'));
    const mutants = [
      shortcut('rerun-unfixed', 'regenerates the report with the unfixed script', solve({ fixed: '', clTotal: buggy.total })),
      wrong('fix-script-ignored', 'fix-script', 'hand-edits the report instead of fixing the script', solve({ handReport: true })),
      wrong('restore-backup', 'ignore-backup', 'restores backup/monthly_report.py.orig and reruns it', solve({ fixed: 'cp backup/monthly_report.py.orig scripts/monthly_report.py\n', clTotal: report(rows, ym, new Set([oldBug])).total })),
      wrong('bank-sign-ignored', 'bank-sign', 'sums the statement without negating it', solve({ signFlip: true })),
      wrong('changelog-at-end', 'unreleased', 'appends the changelog line at the end of the file', solve({ where: 'end' })),
      variant('decimal-fix', 'fixes the script with Decimal arithmetic, reconciliation indented with 4 spaces', solve({ fixed: fixedDecimal, indent: 4 })),
    ];
    return {
      title: `Fix the ${monthName} ${y} ledger report`,
      instruction,
      workspace: files,
      solution: solve(),
      checks,
      rules,
      mutants,
      operations: ['read and parse CSV files', 'reconcile records across sources', 'debug and fix code', 'run scripts or commands', 'update documentation'],
      tags: ['composed', 'python', 'csv', ...[...bugs].map((b) => `bug-${b}`)],
    };
  },
};
