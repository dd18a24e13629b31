#!/usr/bin/env bash
set -euo pipefail
mkdir -p 'scripts'
cat > 'scripts/monthly_report.py' <<'CLAWGYM_EOF'
#!/usr/bin/env python3
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
    return float(raw.replace(",", ""))


def main(src, out, ym):
    start, end = month_bounds(ym)
    total = 0
    by_account = {}
    entries = 0
    with open(src, newline="") as f:
        for row in csv.DictReader(f):
            if not (start <= row["date"] <= end):
                continue
            try:
                amount = parse_amount(row["amount"])
            except ValueError:
                continue  # a malformed row
            cents = round(amount * 100)
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
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
CLAWGYM_EOF
python3 scripts/monthly_report.py data/ledger_2025-08.csv reports/monthly_report_2025-08.json 2025-08
mkdir -p 'reports'
cat > 'reports/reconciliation_2025-08.json' <<'CLAWGYM_EOF'
{
  "not_in_bank": [
    "ENT-1106",
    "ENT-1117"
  ],
  "not_in_ledger": [
    "FEE-202508-1",
    "FEE-202508-2",
    "FEE-202508-3"
  ],
  "difference": 684.63
}
CLAWGYM_EOF
python3 - <<'PY'
import csv, json, os, re, sys
p = "CHANGELOG.md"
s = open(p).read()
line = "### Fixed\n\n- monthly_report.py: corrected the August 2025 report; the total is now 48470.86.\n\n"
s = s + "\n" + line
open(p, "w").write(s)
PY
