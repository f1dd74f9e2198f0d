"""The Celery app. Configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

app = Celery("congress_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's Celery jobs live in ``<app>/jobs.py`` (``tasks/tasks.py`` would mean two
# things). Every job names itself (``@shared_task(name="app.job")``): the name is what a
# queued message carries, so it never changes when a function or a file moves.
app.autodiscover_tasks(related_name="jobs")

# The beat schedule lives in code, so it is reviewed like code: each module declares its
# periodic jobs on its AppConfig, collected when beat reads them (congress_portal/schedule.py).
from congress_portal.schedule import CollectedSchedule  # noqa: E402

app.conf.beat_schedule = CollectedSchedule()


@app.task(name="congress_portal.ping")
def ping() -> dict:
    """Operations check: a worker answers and reaches the portal's database.

    ``celery -A congress_portal call congress_portal.ping`` tells an operator that
    the queue, a worker and the database are wired together.
    """
    from django.contrib.auth import get_user_model

    return {"pong": True, "users": get_user_model().objects.count()}
