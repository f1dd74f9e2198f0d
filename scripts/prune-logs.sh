#!/usr/bin/env bash
# Delete the dated log files (<name>-YYYY-MM-DD.log) last written more than
# LOG_RETENTION_DAYS days ago (default 183, six months) in each of LOG_DIRS (default
# var/log). Run every night by docker-compose's "backup" service (scripts/nightly.sh).
set -euo pipefail
days="${LOG_RETENTION_DAYS:-183}"
[[ "$days" =~ ^[1-9][0-9]*$ ]] || { echo "LOG_RETENTION_DAYS must be a positive number" >&2; exit 2; }
for dir in ${LOG_DIRS:-var/log}; do
    [[ -d "$dir" ]] || continue
    find "$dir" -maxdepth 1 -type f -name '*-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].log' \
        -mtime +"$days" -print -delete
done
