#!/usr/bin/env bash
# The extension's end-to-end suite in a real VS Code: code-server driven by playwright-core and
# Debian's Chromium (DESIGN.md, "Testing"). Installs what it needs (ClawGym's own tools, then
# Chromium and code-server outside the repository), packages the extension into dist/clawgym.vsix
# and runs test/e2e/*.e2e.test.ts. Screenshots and logs go to test-artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# e2e-setup.sh prints the code-server binary on its last line; the harness uses it as given.
CLAWGYM_CODE_SERVER=$(bash scripts/e2e-setup.sh | tail -n 1)
export CLAWGYM_CODE_SERVER
npm run package
# Screenshots of an earlier run (a FAILED-… one above all) must not pass for this run's.
rm -rf test-artifacts/e2e
node --import tsx --test --test-concurrency=1 --test-reporter=spec test/e2e/*.e2e.test.ts
