#!/usr/bin/env bash
# Install what ClawGym needs on a fresh Debian/Ubuntu machine (idempotent), then the npm packages
# and the build. The sandbox offers tasks what the host has in /usr: these are the tools ClawGym's
# and the bundled tasks' checkers call (bash, python3, `python`, ruby, git).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
[ -x /usr/bin/python3 ] || need+=(python3)
[ -x /usr/bin/python ] || need+=(python-is-python3)
command -v ruby >/dev/null || need+=(ruby)
command -v git >/dev/null || need+=(git)
# PyYAML (YAML 1.1): the tests read every generated task.yaml with it, as Python tools would.
/usr/bin/python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
# Distributed runs (clawgym run --queue, clawgym worker) use Redis; the tests start their own server.
command -v redis-server >/dev/null || need+=(redis-server)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund
node scripts/build.mjs
