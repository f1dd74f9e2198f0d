import logging

from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from congress_portal.celery import app as celery_app
from dashboard.panels import panels_for

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html", {"panels": panels_for(request)})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unreachable")
        return "error"
    return "ok"


def _broker_status() -> str:
    if celery_app.conf.task_always_eager:
        return "eager"  # the embedded run: tasks execute in-process, no broker to reach
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("health check: broker unreachable")
        return "error"
    return "ok"


# Every page links it through {% static %}: if it cannot be found, every page answers 500.
STYLESHEET = "css/portal.css"


def _static_status() -> str:
    """In production the stylesheet's hashed name must be in the manifest that
    ``scripts/build.sh`` wrote, and the file on disk; without them every page fails."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return "ok"  # the embedded run: served from the source folders as they are
    try:
        present = staticfiles_storage.exists(staticfiles_storage.stored_name(STYLESHEET))
    except ValueError:  # "Missing staticfiles manifest entry"
        logger.exception("health check: static files not collected")
        return "error"
    if not present:
        logger.error("health check: %s is in the manifest but not on disk", STYLESHEET)
        return "error"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    checks = {
        "database": _database_status(),
        "broker": _broker_status(),
        "static": _static_status(),
    }
    healthy = all(value in ("ok", "eager") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
