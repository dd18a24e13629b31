#!/usr/bin/env bash
# Install what ClawGym needs on a fresh Debian/Ubuntu machine (idempotent), then the npm packages
# and the build. The sandbox offers tasks what the host has in /usr: the tools ClawGym's and the
# bundled tasks' checkers call, listed once in src/core/task/task-environment.json (which `clawgym
# doctor` probes and a Harbor export's Dockerfile installs too), each probed as the sandbox sees it.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
while IFS=$'\t' read -r path pkg probe; do
  PATH=$path bash -c "$probe" >/dev/null 2>&1 || need+=("$pkg")
done < <(node -e 'const e = require("./src/core/task/task-environment.json"); for (const t of e.tools) console.log([e.path, t.debian, t.probe].join("\t"))')
# Distributed runs (clawgym run --queue, clawgym worker) use Redis; the tests start their own server.
command -v redis-server >/dev/null || need+=(redis-server)
# The persistent sandbox's supervisor is compiled on first use (without a compiler: a sandbox per call).
command -v cc >/dev/null || need+=(gcc libc6-dev)
# A sandbox joins its cgroup as root, then drops to the sandbox uid with setpriv (util-linux).
command -v setpriv >/dev/null || need+=(util-linux)
# The OpenEnv acceptance tests drive the env server from Python with Debian's websockets package.
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need+=(python3-websockets)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund
node scripts/build.mjs
# --agent openclaw and its acceptance tests: OpenClaw and Node 24 from npm into ClawGym's cache (once, ~1 GB; idempotent).
node dist/cli.cjs setup openclaw
