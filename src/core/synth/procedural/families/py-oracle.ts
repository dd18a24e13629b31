/** Oracle scripts: a solve.sh that runs one Python 3 program (stdlib only), and data embedded in it. */

/** An oracle solve.sh running one Python program; the usual stdlib modules are imported. */
export function pyOracle(body: string): string {
  return `#!/usr/bin/env bash\nset -euo pipefail\npython3 - <<'PY'\nimport csv, glob, hashlib, json, math, os, re, sys\n${body.trim()}\nPY\n`;
}

/** A Python expression that evaluates to `v` (JSON string literals are valid Python literals). */
export function pyData(v: unknown): string {
  return `json.loads(${JSON.stringify(JSON.stringify(v))})`;
}
