"""Ballots stored per second with 8 deputies voting at the same moment, on PostgreSQL.

    PORTAL_ENV=development DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_measure \\
        .venv/bin/python scripts/measure_ballots.py

Use a scratch database: the script migrates it, makes a township of its own (code
``999999901``) with ``VOTERS`` deputies on the roll, all checked in, one vote of seven
options ("each": 赞成/反对/弃权 on every one, as 黄茅园镇's), prints the slips' codes into
memory, and then has ``THREADS`` voters cast every code, each on its own database
connection:

1. through the service, ``ballot_cast`` (the code spent and the ballot stored in one
   transaction, the poll row locked so that the ballots never pass the check-ins);
2. through the whole stack: ``POST /vote/`` as a phone does (the test client, every
   middleware), on a second vote.

It prints the ballots stored per second of each, checks that every code was spent once
and every ballot stored, and removes what it made.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

THREADS = 8
VOTERS = 800
REGION_CODE = "999999901"
OPTIONS = [
    "大埠至黄金街飞跃桥道路硬化",
    "金中村饮水安全工程",
    "镇中心小学食堂改造",
    "集镇污水管网延伸",
    "农贸市场提质改造",
    "村级卫生室标准化建设",
    "通组公路安全防护",
]


def setup():
    from ballots.models import CheckIn, CongressSession
    from ballots.services import session_create, session_open
    from deputies.models import Deputy, Level, Mandate
    from organisation.models import Region, User
    from organisation.roles import Role

    def region(code, name, level, parent=None):
        path = f"{parent.path if parent else '/'}{code}/"
        return Region.objects.create(code=code, name=name, level=level, parent=parent, path=path)

    city = Region.objects.filter(level=Region.Level.CITY).first() or region(
        "999900", "测量市", Region.Level.CITY
    )
    county = region("99999990", "测量县", Region.Level.COUNTY, city)
    township = region(REGION_CODE, "测量镇", Region.Level.TOWNSHIP, county)
    secretary = User.objects.create(
        username="measure-ballots", full_name="测量", role=Role.SECRETARY, region=township
    )
    deputies = Deputy.objects.bulk_create(
        Deputy(name=f"测{i:04d}", gender="f", phone=f"139{i:08d}", region=township)
        for i in range(VOTERS)
    )
    Mandate.objects.bulk_create(
        Mandate(deputy=d, level=Level.TOWNSHIP, congress="测量镇人大", region=township)
        for d in deputies
    )
    session = session_create(
        name="测量镇人代会",
        region=township,
        level=Level.TOWNSHIP,
        date=dt.date.today(),
        by=secretary,
    )
    session_open(session=session, by=secretary)
    CheckIn.objects.bulk_create(CheckIn(session=session, deputy=d) for d in deputies)
    return CongressSession.objects.get(pk=session.pk), secretary, [city, county, township]


def new_poll(session, secretary, title):
    from ballots.services import codes_issue, poll_create, poll_open

    poll = poll_create(
        session=session,
        title=title,
        method="each",
        slots=5,
        options=[(f"project:{i}", label) for i, label in enumerate(OPTIONS)],
        by=secretary,
    )
    poll_open(poll=poll, by=secretary)
    return poll, codes_issue(poll=poll, by=secretary, spares=0)


def choices(i: int) -> dict[str, str]:
    values = ("yes", "yes", "no", "abstain")
    return {f"project:{k}": values[(i + k) % 4] for k in range(len(OPTIONS))}


def run(codes: list[str], cast) -> tuple[float, list[str]]:
    from django.db import connection

    errors: list[str] = []
    barrier = threading.Barrier(THREADS)

    def voter(mine: list[tuple[int, str]]):
        barrier.wait()
        try:
            for i, code in mine:
                try:
                    cast(i, code)
                except Exception as error:  # counted, not raised: the figure says it
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    shares = [list(enumerate(codes))[k::THREADS] for k in range(THREADS)]
    threads = [threading.Thread(target=voter, args=(share,)) for share in shares]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, errors


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from ballots.models import Ballot, Code
    from ballots.services import ballot_cast

    if connection.vendor != "postgresql":
        sys.exit("measure on PostgreSQL: DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    from organisation.models import Region

    if Region.objects.filter(code=REGION_CODE).exists():
        sys.exit("a previous run left its township behind: use a fresh scratch database")
    session, secretary, regions = setup()
    try:
        poll, codes = new_poll(session, secretary, "服务层")
        seconds, errors = run(codes, lambda i, code: ballot_cast(code=code, choices=choices(i)))
        stored = Ballot.objects.filter(poll=poll).count()
        spent = Code.objects.filter(poll=poll, state=Code.State.SPENT).count()
        print(
            f"ballot_cast, {THREADS} voters at once: {stored} ballots in {seconds:.2f} s = "
            f"{stored / seconds:.0f} ballots/s (codes spent {spent}, errors {len(errors)})"
        )

        poll, codes = new_poll(session, secretary, "整个请求")
        url = reverse("vote:index")
        local = threading.local()

        def post(i: int, code: str) -> None:
            if not hasattr(local, "client"):
                local.client = Client()
            form = {"code": code, "step": "cast"}
            form.update({f"o{k}": v for k, v in enumerate(choices(i).values())})
            response = local.client.post(url, form, HTTP_X_FORWARDED_FOR=f"10.0.0.{i % 250}")
            if response.status_code != 200:
                raise RuntimeError(response.status_code)

        seconds, errors = run(codes, post)
        stored = Ballot.objects.filter(poll=poll).count()
        print(
            f"POST /vote/, {THREADS} voters at once: {stored} ballots in {seconds:.2f} s = "
            f"{stored / seconds:.0f} ballots/s (errors {len(errors)})"
        )
        for error in sorted(set(errors))[:5]:
            print("  ", error)
    finally:
        from deputies.models import Deputy, Mandate

        session.delete()
        township = regions[2]
        Mandate.objects.filter(region=township).delete()
        Deputy.objects.filter(region=township).delete()
        secretary.delete()
        regions[2].delete()
        regions[1].delete()


if __name__ == "__main__":
    main()
