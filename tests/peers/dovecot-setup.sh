#!/bin/sh
# Installs the IMAP server the e-mail connector tests start (tests/peers/dovecot.py): Dovecot from
# Debian, without recommends; the image's policy-rc.d keeps it from starting as a service.
set -eu
if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian dovecot-imapd for the e-mail connector tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null 2>&1 || {
    apt-get update -qq && apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null
  }
else
  echo "dovecot-imapd is not installed and cannot be installed here: the e-mail connector tests will skip"
fi
