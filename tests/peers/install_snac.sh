#!/usr/bin/env bash
# snac2 (a small Mastodon-client-API server, Debian bookworm-backports) for the Mastodon connector
# tests (tests/peers/snac.py). Needs root and apt; without them it says why and the tests skip.
# ../shared/PEERS.md section 3a has the numbers and pitfalls.
set -euo pipefail

if command -v snac >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "snac2 not found and cannot install it (needs root and apt): the Mastodon peer tests will skip"
  exit 0
fi
. /etc/os-release
SUITE="${VERSION_CODENAME:-bookworm}-backports"
SOURCES=/etc/apt/sources.list.d/sablier-backports.sources
if ! grep -rqs "$SUITE" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > "$SOURCES" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
echo "installing snac2 from $SUITE for the Mastodon connector tests"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends -t "$SUITE" snac2 >/dev/null; }; then
  echo "could not install snac2 from $SUITE: the Mastodon peer tests will skip (or fail on CI)"
fi
