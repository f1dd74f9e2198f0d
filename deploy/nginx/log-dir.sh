#!/bin/sh
# Run by the nginx image before it starts (/docker-entrypoint.d/): the dated access logs
# are opened by nginx's workers, which run as the user nginx, as each day begins.
set -e
mkdir -p "${NGINX_LOG_DIR:-/var/log/portal}"
chown nginx "${NGINX_LOG_DIR:-/var/log/portal}"
