"""Measure a reminder sweep over 100,000 open deadlines on PostgreSQL.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_measure \
        REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python scripts/measure_sweep.py [--tasks 100000]

With REDIS_URL set, delivery jobs are only queued (one per 500 deliveries; the script
purges them from that Redis database at the end); without it they would run in-process
and the timing would include printing 100,000 mails to the console.

Builds (once, in the database named by DATABASE_URL, which it migrates) one task list
whose N tasks have deadlines 2–7 days away and lead units that each have an e-mail
contact, then times:
  1. the first deadline sweep: N notifications + N e-mail deliveries recorded (the
     reminders of an earlier run are deleted and the tables vacuumed first, as
     autovacuum would have done on a live system);
  2. the same sweep again: nothing new (every key already there);
  3. the full daily sweep (every kind).
Delivery (sending the mails) is a separate job and is not part of the sweep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("point DATABASE_URL at a scratch PostgreSQL database")
    call_command("migrate", verbosity=0)

    from notifications.models import Delivery, Notification
    from organisation.models import Unit, User
    from organisation.roles import Role
    from tasks import reminders
    from tasks.models import Aspect, Task, TaskList

    today = dt.date(2025, 3, 10)
    # Task numbers are unique per list (and small integers): 20,000 tasks per list.
    per_list = 20_000
    if not TaskList.objects.filter(year=2099).exists():
        units = Unit.objects.bulk_create(
            [Unit(name=f"测量单位{n}", kind=Unit.Kind.GOVERNMENT) for n in range(500)]
        )
        User.objects.bulk_create(
            [
                User(
                    username=f"measure{n}",
                    role=Role.UNIT,
                    unit=unit,
                    email=f"measure{n}@example.org",
                )
                for n, unit in enumerate(units)
            ]
        )
        started = time.perf_counter()
        for start in range(0, args.tasks, per_list):
            task_list = TaskList.objects.create(
                year=2099, title=f"测量用任务清单{start // per_list + 1}", kind=TaskList.Kind.OTHER
            )
            aspect = Aspect.objects.create(task_list=task_list, number=1, title="测量")
            Task.objects.bulk_create(
                [
                    Task(
                        task_list=task_list,
                        aspect=aspect,
                        number=n - start + 1,
                        content=f"测量任务{n}",
                        lead_unit=units[n % len(units)],
                        deadline=today + dt.timedelta(days=2 + n % 6),
                    )
                    for n in range(start, min(start + per_list, args.tasks))
                ],
                batch_size=5000,
            )
        print(f"built {args.tasks} tasks in {time.perf_counter() - started:.1f} s")
    Notification.objects.filter(key__startswith="deadline-due-").delete()
    with connection.cursor() as cursor:
        for model in (Notification, Delivery):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    open_deadlines = Task.objects.filter(
        completed_on__isnull=True, deadline__gte=today, deadline__lte=today + dt.timedelta(days=7)
    ).count()
    print(f"open deadlines in the 7-day window: {open_deadlines}")

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    for label in ("first sweep (records every reminder)", "second sweep (nothing new)"):
        statements.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            sent = reminders.deadlines_due(today)
        elapsed = time.perf_counter() - started
        print(f"{label}: {sent} notifications in {elapsed:.2f} s, {len(statements)} statements")
    print(
        "notifications:",
        Notification.objects.filter(key__startswith="deadline-due-").count(),
        "e-mail deliveries:",
        Delivery.objects.filter(notification__key__startswith="deadline-due-").count(),
    )
    started = time.perf_counter()
    result = reminders.sweep(today=today)
    print(f"full daily sweep again: {result} in {time.perf_counter() - started:.2f} s")
    if settings.REDIS_URL:
        from congress_portal.celery import app

        print("dispatch jobs queued (purged now):", app.control.purge())


if __name__ == "__main__":
    main()
