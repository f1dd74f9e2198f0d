"""gunicorn behind the proxy (deploy/nginx/portal.conf): `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be changed from the environment; the defaults are the compose stack's.
"""

import os

wsgi_app = "congress_portal.wsgi"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: the proxy buffers slow clients, so a worker is busy only while Django works.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# A station's A4 poster is drawn in the request (about a second); the monthly PDF is Celery's.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (and a few more, at random), so a slow leak
# never grows for ever.
max_requests = 2000
max_requests_jitter = 200

# The scheme (X-Forwarded-Proto) is believed only from the proxy's address, and only that one
# header: Django has no SECURE_PROXY_SSL_HEADER and sees https exactly when gunicorn says so.
# 127.0.0.1 is the container itself (its health check); the compose file adds the proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Access and error logs to stdout/stderr, where the container's log driver keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'

# gunicorn 25.1+ opens a control socket in $HOME by default; nothing here uses it.
control_socket_disable = True


def post_worker_init(worker):
    """Each worker compiles the project's templates and freezes what it loaded before its
    first request, so the garbage collector's full passes stay short
    (``congress_portal/warm.py``)."""
    from congress_portal.warm import warm_and_freeze

    worker.log.info("warmed %s templates; long-lived objects frozen", warm_and_freeze())
