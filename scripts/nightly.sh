#!/usr/bin/env bash
# docker-compose's "backup" service: every day at BACKUP_TIME (UTC, default 18:30, which is
# 02:30 in Beijing) a backup (scripts/backup.sh), then the old log files are deleted
# (scripts/prune-logs.sh). A failure is printed and tried again the next night.
set -uo pipefail
cd "$(dirname "$0")/.."
at="${BACKUP_TIME:-18:30}"
while true; do
    now=$(date -u +%s)
    next=$(date -u -d "today $at" +%s)
    (( next > now )) || next=$(date -u -d "tomorrow $at" +%s)
    echo "next backup at $(date -u -d "@$next" '+%Y-%m-%d %H:%M UTC')"
    sleep $(( next - now ))
    scripts/backup.sh || echo "BACKUP FAILED" >&2
    scripts/prune-logs.sh || echo "LOG PRUNING FAILED" >&2
done
