"""Time the nightly rota job (liaison_stations.generate_rota) on a seeded demo city.

    DATABASE_URL=sqlite:///$PWD/var/measure.sqlite3 .venv/bin/python scripts/measure_rota.py

Use a copy of a database that ``manage.py seed_demo`` filled (459 stations): the script
writes a month of duty days into it. The demo rota runs to the end of next month, so
it times three runs of the job's service:
  1. as tonight: next month is already made, nothing to do;
  2. a month later: the month after next, every station's days to make;
  3. the same night again: nothing new (a made month is never touched).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from liaison_stations.models import Station
    from liaison_stations.services import rota_generate_ahead

    today = timezone.localdate()
    later = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=min(today.day, 28))
    stations = Station.objects.filter(is_active=True).exclude(rule_days="").count()
    print(f"{connection.vendor}: {stations} active stations with an opening rule")
    for label, day in (("tonight", today), ("a month later", later), ("again", later)):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            done = rota_generate_ahead(today=day)
            took = time.perf_counter() - started
        print(
            f"{label:>14}: {done.year}-{done.month:02d}, {done.stations} stations, "
            f"{done.shifts} duty days, {took:.2f} s, {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
