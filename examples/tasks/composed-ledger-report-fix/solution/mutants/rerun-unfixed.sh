#!/usr/bin/env bash
set -euo pipefail
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
line = "### Fixed\n\n- monthly_report.py: corrected the August 2025 report; the total is now 49404.43.\n\n"
s = s.replace("## [Unreleased]\n\n", "## [Unreleased]\n\n" + line, 1)
open(p, "w").write(s)
PY
