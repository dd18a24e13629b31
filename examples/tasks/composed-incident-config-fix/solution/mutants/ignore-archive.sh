#!/usr/bin/env bash
set -euo pipefail
python3 - <<'PY'
import csv, json, os, re, sys
p = "config/inventory-api.yaml"
lines = open(p).read().split("\n")
lines[9] = re.sub(r": \d+", ": 10500", lines[9], count=1)
open(p, "w").write("\n".join(lines))
PY
python3 scripts/check_config.py config/inventory-api.yaml
mkdir -p 'incidents'
cat > 'incidents/2025-07-12-inventory-api.md' <<'CLAWGYM_EOF'
# Incident: inventory-api 2025-07-12

- start: 2024-07-11T01:10:00Z
- end: 2025-07-12T13:05:12Z
- errors: 18
- cause: upstream.timeout_ms
- change: upstream.timeout_ms 800 -> 10500
CLAWGYM_EOF
