#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into DATABASE_URL and MEDIA_ROOT.
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME MEDIA_ROOT=... \
#       scripts/restore.sh BACKUP_DIR/portal-<time>
# The database should be a new, empty one (createdb); the web, worker and beat services
# stopped. The media files are unpacked into MEDIA_ROOT (an empty one gives an exact copy).
set -euo pipefail
cd "$(dirname "$0")/.."

backup="${1:?usage: scripts/restore.sh BACKUP_DIR/portal-<time>}"
: "${DATABASE_URL:?DATABASE_URL is the PostgreSQL database to restore into}"
media_root="${MEDIA_ROOT:-var/media}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) \
    || { echo "$backup: the files do not match their SHA256SUMS" >&2; exit 1; }

# One transaction: a failed restore leaves the database as it was.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$media_root"
tar --extract --file="$backup/media.tar" --directory="$media_root" --no-same-owner
echo "restored $backup"
