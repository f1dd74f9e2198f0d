"""Server time and queries of /oversight/ and of the case page of the environmental
inspection (82 problems), and the render time of the monthly PDF with the oversight
section, on PostgreSQL.

    PORTAL_ENV=development DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_measure \\
        .venv/bin/python scripts/measure_oversight.py

Use a scratch database: the script migrates it, seeds the demo city if it is empty, and
times each page ``RUNS`` times through the test client (every middleware) as the staff.
It prints the median and the queries; the PDF is rendered for the last demo month.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

RUNS = 7


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from organisation.models import User
    from organisation.roles import Role
    from oversight.demo import ENV_TITLE
    from oversight.models import Case, Problem

    if connection.vendor != "postgresql":
        sys.exit("measure on PostgreSQL: DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    if not Case.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        print(f"seed_demo: {time.perf_counter() - started:.1f} s")
    case = Case.objects.get(title=ENV_TITLE)
    print(f"{Case.objects.count()} cases; {Problem.objects.filter(case=case).count()} problems")
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(staff)
    for path in ("/oversight/?year=2026", f"/oversight/{case.pk}/"):
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
        print(
            f"{path}: median {statistics.median(took):.0f} ms, max {max(took):.0f} ms, "
            f"{queries} queries, {len(response.content) // 1024} KB"
        )
    took = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(3):
            started = time.perf_counter()
            call_command("monthly_report", "--month", "2026-11", "--output", f"{folder}/r.pdf")
            took.append(time.perf_counter() - started)
    print(f"monthly PDF 2026-11 with the oversight section: median {statistics.median(took):.1f} s")


if __name__ == "__main__":
    main()
