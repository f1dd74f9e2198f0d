"""Server time of the city ranking of about 5,000 deputies and the rendering time of one
performance record PDF 履职档案, on PostgreSQL.

    PORTAL_ENV=development DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_measure \\
        .venv/bin/python scripts/measure_records.py

Use a scratch database: the script migrates it, seeds the demo city if it is empty (and
prints how long that took), then gives city seats to demo deputies until the city
congress has ``SEATS`` (the demo city has about 500; the extra seats are for measuring
only), and times, ``RUNS`` times each through the test client (every middleware) as the
staff: the city ranking page (all ``SEATS`` ranked in SQL, the first 200 shown), the
township ranking of the whole city (about 8,600 seats), a deputy's record page and its
PDF. It prints the median, the queries and, for the PDF, the pages.
"""

from __future__ import annotations

import os
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

SEATS = 5000
RUNS = 7


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from deputies.models import Activity, Deputy, Level, Mandate
    from deputies.selectors import ranking
    from deputies.services import points_apply
    from organisation.models import Region, User
    from organisation.roles import Role

    if connection.vendor != "postgresql":
        sys.exit("measure on PostgreSQL: DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    if not Deputy.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        print(f"seed_demo: {time.perf_counter() - started:.1f} s")
    city = Region.objects.get(level=Region.Level.CITY)
    seated = Mandate.objects.active().filter(level=Level.CITY)
    missing = SEATS - seated.count()
    if missing > 0:
        free = Deputy.objects.exclude(pk__in=seated.values("deputy")).order_by("pk")[:missing]
        Mandate.objects.bulk_create(
            [
                Mandate(
                    deputy=d, level=Level.CITY, congress="怀化市第六届人民代表大会", region=city
                )
                for d in free
            ],
            batch_size=2000,
        )
    year = timezone.localdate().year
    print(
        f"{seated.count()} city seats, {Activity.objects.filter(date__year=year).count()} "
        f"activities in {year}"
    )
    started = time.perf_counter()
    priced = points_apply()
    print(
        f"points_apply (every activity re-priced, one UPDATE per rule): {priced} rows, "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    started = time.perf_counter()
    rows = list(ranking(year=year, level=Level.CITY).values_list("deputy_id", "points", "rank"))
    print(
        f"city ranking query, all {len(rows)} rows: {(time.perf_counter() - started) * 1000:.0f} ms"
    )

    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(staff)
    busiest = (
        Activity.objects.filter(date__year=year)
        .values("deputy")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    deputy_pk = busiest["deputy"] if busiest else Deputy.objects.order_by("pk").first().pk
    pages = [
        ("city ranking", reverse("deputies:rankings", query={"level": "city"})),
        ("township ranking, whole city", reverse("deputies:rankings", query={"level": "township"})),
        ("a record page", reverse("deputies:record", args=[deputy_pk])),
        ("its PDF", reverse("deputies:record_pdf", args=[deputy_pk])),
    ]
    for label, path in pages:
        client.get(path)  # warm
        took, queries = [], 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                took.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
            if response.status_code != 200:
                sys.exit(f"{path}: {response.status_code}")
        extra = ""
        if response["Content-Type"] == "application/pdf":
            with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
                pdf.write(response.content)
                pdf.flush()
                info = subprocess.run(  # nosec B603 B607  (poppler's pdfinfo, our file)
                    ["pdfinfo", pdf.name], capture_output=True, text=True, check=False
                ).stdout
            pages_line = next((x for x in info.splitlines() if x.startswith("Pages:")), "")
            extra = f", {pages_line.split()[-1] if pages_line else '?'} pages"
        n = Activity.objects.filter(deputy=deputy_pk, date__year=year).count()
        print(
            f"{label} ({path}): median {statistics.median(took):.0f} ms, max {max(took):.0f} ms, "
            f"{queries} queries, {len(response.content) // 1024} KB{extra}"
            + (f" ({n} activities)" if "record" in label or "PDF" in label else "")
        )


if __name__ == "__main__":
    main()
