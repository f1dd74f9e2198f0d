"""The Celery jobs and the beat schedule.

Queued messages and the beat schedule name jobs by their registered names: those
names never change, whichever file a job lives in. The schedule runs at the times the
office expects (Asia/Shanghai).
"""

import json
import subprocess
import sys

from django.conf import settings

from congress_portal.celery import app

# Every job's registered name. A message already in Redis names its job this way:
# renaming one would leave such messages for a worker that no longer knows them.
REGISTERED = {
    "ballots.sweep_reminders",
    "congress_portal.ping",
    "deputies.import_deputies",
    "handovers.sweep_reminders",
    "liaison_stations.generate_rota",
    "liaison_stations.sweep_reminders",
    "livelihood.sweep_reminders",
    "notifications.dispatch_deliveries",
    "reports.generate_report",
    "reports.monthly_report",
    "tasks.import_task_list",
    "tasks.purge_import_files",
    "tasks.sweep_reminders",
}


def test_a_fresh_worker_process_finds_every_job_under_its_registered_name():
    # A new interpreter, as a worker starts: only autodiscovery (``<app>/jobs.py``)
    # can register the jobs there, no test module has imported them before.
    script = (
        "import django, json; django.setup();"
        "from congress_portal.celery import app; app.loader.import_default_modules();"
        "print(json.dumps(sorted(n for n in app.tasks if not n.startswith('celery.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(json.loads(result.stdout.splitlines()[-1])) == REGISTERED


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule
    missing = {name: e["task"] for name, e in schedule.items() if e["task"] not in app.tasks}
    assert missing == {}


def test_the_monthly_report_is_made_on_the_first_and_reminders_run_daily():
    by_task = {e["task"]: e["schedule"] for e in app.conf.beat_schedule.values()}
    assert by_task["reports.monthly_report"].day_of_month == {1}
    assert by_task["tasks.sweep_reminders"].hour == {8}
    assert by_task["liaison_stations.generate_rota"].hour == {1}
    assert app.conf.timezone == "Asia/Shanghai"
