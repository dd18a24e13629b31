#!/usr/bin/env python3
"""Sanity-check a service config and record the result in ops/config_check.json.

Usage: python3 scripts/check_config.py config/<service>.yaml
"""
import json
import re
import sys

path = sys.argv[1]
values = {}
section = None
for line in open(path):
    line = line.split("#", 1)[0].rstrip()
    if not line:
        continue
    m = re.match(r"^(\s*)([a-z_]+):\s*(.*)$", line)
    if not m:
        continue
    indent, key, val = m.groups()
    if not indent:
        section = key
    if val.isdigit():
        values[f"{section}.{key}" if indent else key] = int(val)
problems = []
if values.get("db.pool_size", 0) % 5 or not 5 <= values.get("db.pool_size", 0) <= 100:
    problems.append("db.pool_size must be a multiple of 5 between 5 and 100")
if values.get("upstream.timeout_ms", 0) % 100 or not 100 <= values.get("upstream.timeout_ms", 0) <= 10000:
    problems.append("upstream.timeout_ms must be a multiple of 100 between 100 and 10000")
result = {"config": path, "ok": not problems, "problems": problems, "values": values}
with open("ops/config_check.json", "w") as f:
    json.dump(result, f, indent=2)
print("OK" if not problems else "\n".join(problems))
sys.exit(0 if not problems else 1)
