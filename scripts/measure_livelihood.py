"""Server time of the livelihood pool page (and the project list) at 1,000 chosen projects,
and of the monthly PDF's livelihood section, on PostgreSQL.

    PORTAL_ENV=development DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_measure \\
        .venv/bin/python scripts/measure_livelihood.py

Use a scratch database: the script migrates it, seeds the demo city if it is empty, then
tops the year's chosen projects up to ``PROJECTS`` (proposals of the demo townships, each
with a project and an allocation through ``allocation_make``, the township's pool raised
to pay for them), and times each page ``RUNS`` times through the test client (every
middleware) as the staff, who see every pool. It prints the median and the queries.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

PROJECTS = 1000
RUNS = 7


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from livelihood.delivery import allocation_make, projects_open
    from livelihood.models import FundPool, Project, Proposal
    from livelihood.report_sections import sections
    from organisation.models import Region, User
    from organisation.roles import Role
    from reports.sections import ReportPeriod

    if connection.vendor != "postgresql":
        sys.exit("measure on PostgreSQL: DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    if not Proposal.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        print(f"seed_demo: {time.perf_counter() - started:.1f} s")
    year = timezone.localdate().year
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    townships = list(Region.objects.filter(level=Region.Level.TOWNSHIP).order_by("path"))
    have = Project.objects.filter(proposal__year=year).count()
    added = 0
    for i in range(max(0, PROJECTS - have)):
        township = townships[i % len(townships)]
        proposal = Proposal.objects.create(
            level="township",
            region=township,
            year=year,
            title=f"测量项目{i}",
            place="测量村",
            estimated_cost=Decimal(10),
            beneficiaries=100,
            source="government",
            status=Proposal.Status.CHOSEN,
        )
        projects_open([proposal.pk])
        pool, _ = FundPool.objects.get_or_create(
            year=year,
            level="township",
            region=township,
            defaults={"funded_by": township, "amount": Decimal(0)},
        )
        FundPool.objects.filter(pk=pool.pk).update(amount=F("amount") + 10)
        pool.refresh_from_db()
        allocation_make(pool=pool, project=proposal.project, amount=10, by=admin)
        added += 1
    total = Project.objects.filter(proposal__year=year).count()
    pools = FundPool.objects.filter(year=year).count()
    print(f"{total} projects of {year} ({added} added), {pools} pools of {year}")

    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(staff)
    for path in ("/livelihood/pools/", "/livelihood/projects/"):
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
    period = ReportPeriod(timezone.localdate().replace(day=1))
    took = []
    for _ in range(RUNS):
        started = time.perf_counter()
        sections(period)
        took.append((time.perf_counter() - started) * 1000)
    print(f"monthly PDF, the livelihood section's data: median {statistics.median(took):.0f} ms")


if __name__ == "__main__":
    main()
