#!/usr/bin/env bash
# The test command (README quick start, .ci/run): set up, type-check, lint, unit tests, integration tests
# with real bubblewrap, git and python3, then the extension end to end in code-server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Types per runtime (Node, extension host, webviews, e2e), then the linter's layer rules (ARCHITECTURE.md).
npm run --silent typecheck
npm run --silent lint
# Two files at a time: most tests wait on sandboxes, servers and child processes, not the CPU.
node --import tsx --test --test-concurrency=2 --test-reporter=spec --test-reporter-destination=stdout \
  test/unit/*.test.ts test/integration/*.test.ts
# The extension end to end in a real VS Code (code-server + Chromium; installs them if missing).
bash scripts/e2e.sh
