"""The beat schedule names jobs that exist, at the times the office expects (Asia/Shanghai)."""

from congress_portal.celery import app
from congress_portal.schedule import BEAT_SCHEDULE


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    missing = {name: e["task"] for name, e in BEAT_SCHEDULE.items() if e["task"] not in app.tasks}
    assert missing == {}


def test_the_monthly_report_is_made_on_the_first_and_reminders_run_daily():
    by_task = {e["task"]: e["schedule"] for e in BEAT_SCHEDULE.values()}
    assert by_task["reports.monthly_report"].day_of_month == {1}
    assert by_task["tasks.sweep_reminders"].hour == {8}
    assert app.conf.timezone == "Asia/Shanghai"
