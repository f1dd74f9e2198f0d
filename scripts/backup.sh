#!/usr/bin/env bash
# One backup: the database (pg_dump, custom format) and the uploaded and generated files
# (a tar of MEDIA_ROOT), in BACKUP_DIR/portal-<UTC time>/ with their SHA-256 sums. Only the
# newest BACKUP_KEEP backups are kept (default 14).
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME MEDIA_ROOT=... scripts/backup.sh
# docker-compose's "backup" service runs it every night (scripts/nightly.sh).
# Restore with scripts/restore.sh BACKUP_DIR/portal-<time>.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL is the PostgreSQL database to back up}"
backup_dir="${BACKUP_DIR:-var/backups}"
media_root="${MEDIA_ROOT:-var/media}"
keep="${BACKUP_KEEP:-14}"
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "BACKUP_KEEP must be a positive number" >&2; exit 2; }

name="portal-$(date -u +%Y%m%dT%H%M%SZ)"
while [[ -e "$backup_dir/$name" ]]; do  # one a second at most: names sort by time
    sleep 1
    name="portal-$(date -u +%Y%m%dT%H%M%SZ)"
done
partial="$backup_dir/.$name.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" \
    --dbname="$DATABASE_URL"
mkdir -p "$media_root"
tar --create --file="$partial/media.tar" --directory="$media_root" .
(cd "$partial" && sha256sum database.dump media.tar > SHA256SUMS)

# Complete only when every part is written: a half-made backup never looks like one.
mv "$partial" "$backup_dir/$name"
trap - EXIT
echo "backup $backup_dir/$name: $(du -sh "$backup_dir/$name" | cut -f1)"

# Keep the newest $keep.
mapfile -t old < <(find "$backup_dir" -mindepth 1 -maxdepth 1 -type d -name 'portal-*' | sort | head -n -"$keep")
for dir in "${old[@]}"; do
    rm -rf "$dir"
    echo "removed $dir"
done
