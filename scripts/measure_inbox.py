"""Queries and server time of the unit inbox /inbox/ on a seeded demo city.

    DATABASE_URL=sqlite:///$PWD/var/measure.sqlite3 .venv/bin/python scripts/measure_inbox.py

Use a copy of a database that ``manage.py seed_demo`` filled. Once, the script hands,
under a throw-away kind:

- 500 open items to the demo unit contact's unit (代表工委, account ``unit``), handed
  over in the last year, due from two months ago to two months ahead (red, yellow and
  green), one in five with a helping unit;
- three open items (red, yellow, green) to each other unit of the city, so that the
  office's counts by unit have every unit to count (with the kinds' own demo data, when
  seeded).

Then it opens, as a browser would (the test client, through every middleware):

  1. /inbox/ as that unit's contact (page 1 of 500 open items, a filter, page 5, htmx);
  2. /inbox/ as the staff: every unit's inbox with the counts by unit and the late units;
  3. /inbox/ as the township secretary (their region's);
  4. the first item's page as the unit's contact.

Each page is opened 5 times after a first warm-up; the median time and the most queries
are printed.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

OPEN_ITEMS = 500
KIND = "measure"
RUNS = 5


def ensure_items(unit, helper, region, staff, today: dt.date) -> int:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from handovers.models import Assist, Handover, Step
    from organisation.models import Unit

    there = Handover.objects.filter(kind=KIND).count()
    if there >= OPEN_ITEMS:
        return there
    subject_type = ContentType.objects.get_for_model(unit)
    others = []
    for other in Unit.objects.filter(is_active=True).exclude(pk=unit.pk):
        for n, days in enumerate((-5, 3, 40)):
            others.append(
                Handover(
                    kind=KIND,
                    subject_type=subject_type,
                    subject_id=other.pk,
                    title=f"{other}的测量用交办事项{n + 1}",
                    region=other.region or region,
                    unit=other,
                    checked_by="office",
                    handed_on=today - dt.timedelta(days=60),
                    first_due_on=today + dt.timedelta(days=days),
                    due_on=today + dt.timedelta(days=days),
                )
            )
    rows = []
    for n in range(OPEN_ITEMS):
        handed_on = today - dt.timedelta(days=30 + n % 300)
        due_on = max(handed_on, today + dt.timedelta(days=n % 120 - 60))
        rows.append(
            Handover(
                kind=KIND,
                subject_type=subject_type,
                subject_id=unit.pk,
                title=f"测量用交办事项第{n + 1}号：关于改善城区道路和公共设施的建议",
                region=region,
                unit=unit,
                checked_by="office",
                handed_on=handed_on,
                handed_by=staff,
                first_due_on=due_on,
                due_on=due_on,
            )
        )
    with transaction.atomic():
        made = Handover.objects.bulk_create(rows)
        spread = Handover.objects.bulk_create(others)
        now = dt.datetime.now(dt.UTC)
        Step.objects.bulk_create(
            Step(handover=h, action="handed", at=now, by=staff, unit=h.unit) for h in made + spread
        )
        Assist.objects.bulk_create(
            Assist(handover=h, unit=helper, due_on=h.due_on) for h in made[::5]
        )
    return len(made) + len(spread)


def measure(client, url: str, headers: dict | None = None) -> tuple[float, int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, headers=headers or {})  # warm-up: the session, the templates
    times, counts = [], []
    status = size = 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, headers=headers or {})
            times.append(time.perf_counter() - started)
        counts.append(len(queries))
        status, size = response.status_code, len(response.content)
    return statistics.median(times) * 1000, max(counts), status, size


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from handovers import kinds
    from handovers.kinds import HandoverKind
    from handovers.models import Handover
    from organisation.models import Region, User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    kinds.register(HandoverKind(name=KIND, label="测量"))
    today = timezone.localdate()
    contact = User.objects.select_related("unit").get(username="unit")
    helper = User.objects.select_related("unit").get(username="county-unit").unit
    staff = User.objects.get(username="staff")
    city = Region.objects.get(level=Region.Level.CITY)
    made = ensure_items(contact.unit, helper, city, staff, today)
    open_items = Handover.objects.for_unit(contact.unit_id).open().count()
    print(
        f"{connection.vendor}: {Handover.objects.count()} handovers in all, {made} of the "
        f"throw-away kind; {open_items} open for {contact.unit}"
    )

    def as_user(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    inbox = reverse("handovers:index")
    first = Handover.objects.for_unit(contact.unit_id).order_by("due_on").first()
    pages = [
        ("unit", inbox, None),
        ("unit", inbox + "?colour=red", None),
        ("unit", inbox + "?page=5", None),
        ("unit", inbox + "?colour=yellow", {"HX-Request": "true"}),
        ("staff", inbox, None),
        ("staff", inbox + f"?unit={contact.unit_id}", None),
        ("secretary", inbox, None),
        ("unit", reverse("handovers:detail", args=[first.pk]), None),
    ]
    clients: dict[str, Client] = {}
    for username, url, headers in pages:
        client = clients.setdefault(username, as_user(username))
        took, queries, status, size = measure(client, url, headers)
        htmx = " (htmx)" if headers else ""
        print(
            f"{username:>9} {url + htmx:<32} {status} {took:7.1f} ms  {queries:2d} queries  "
            f"{size // 1024} KB"
        )


if __name__ == "__main__":
    main()
