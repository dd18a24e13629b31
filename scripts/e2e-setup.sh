#!/usr/bin/env bash
# Install what the extension's end-to-end suite needs, outside the repository (idempotent):
# Debian's Chromium and ripgrep, and code-server 4.100.3 (= VS Code 1.100) from npm in a cache
# folder. code-server's @vscode/ripgrep would download rg from GitHub; its download cache is seeded
# with Debian's rg instead, since this machine reaches only the npm registry and Debian.
set -euo pipefail
CACHE=${CLAWGYM_E2E_CACHE:-$HOME/.cache/clawgym-e2e}
VERSION=4.100.3
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ -x "$CACHE/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$VERSION\"" "$CACHE/node_modules/code-server/package.json" 2>/dev/null; then
  echo "$CACHE/node_modules/.bin/code-server"
  exit 0
fi
mkdir -p "$CACHE"
tmp=${TMPDIR:-/tmp}
rgcache="$tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache"
if [ ! -s "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ]; then
  d=$(mktemp -d); cp "$(command -v rg)" "$d/rg"
  tar -C "$d" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg; rm -rf "$d"
fi
cd "$CACHE"
[ -f package.json ] || echo '{"name":"clawgym-e2e-cache","private":true}' > package.json
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$VERSION" >&2
echo "$CACHE/node_modules/.bin/code-server"
