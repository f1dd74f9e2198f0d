#!/usr/bin/env bash
# Install the Debian packages the portal needs, when running as root and they are missing.
#   scripts/system-deps.sh run    fonts for the PDFs, gettext for the translations
#   scripts/system-deps.sh test   the above, plus Chromium and poppler-utils for the tests,
#                                 and for the production path (tests/deploy/): nginx,
#                                 openssl, the PostgreSQL client (pg_dump and pg_restore of
#                                 the server's version, 15 on bookworm)
set -euo pipefail

packages=(fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0)
if [[ "${1:-run}" == "test" ]]; then
    packages+=(chromium poppler-utils nginx openssl postgresql-client)
fi
if [[ "${CI:-}" == "true" ]]; then
    packages+=(docker-compose)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if (( ${#missing[@]} == 0 )); then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
