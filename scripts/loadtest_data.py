"""The load test's two looks at the database (scripts/loadtest.sh runs them):

python scripts/loadtest_data.py plan PLAN.json
    what each simulated person works on, read from the seeded demo city: the accounts
    of each role, the tasks each unit contact may report on this month (not accepted
    yet), the past duty days each secretary may log (split so that no two simulated
    secretaries ever edit one day), stations for the public pages, tasks to open;

python scripts/loadtest_data.py verify RUN_MARK COUNTS.json
    counts, in the database, the rows the run's writes made (every written text carries
    RUN_MARK) and compares them with the successful POSTs locust counted: a progress
    report submitted is one history row of ProgressReport, a duty day logged with one
    constituent is one station reception, a public opinion one online reception. Prints
    JSON and exits 1 on any difference (a lost or a doubled write).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from liaison_stations.models import DutyShift, Reception, Station  # noqa: E402
from organisation.demo import DEMO_PASSWORD  # noqa: E402
from organisation.models import User  # noqa: E402
from organisation.roles import Role  # noqa: E402
from tasks.models import ProgressReport, Task  # noqa: E402

# How many simulated people of one role may work at once without editing the same row.
SLOTS = 12


def _accounts(role: str, limit: int = SLOTS) -> list[str]:
    users = User.objects.filter(role=role, is_active=True).order_by("username")
    preferred = [u.username for u in users.filter(username__regex=r"^[a-z]+[0-9]*$")]
    others = [u.username for u in users.exclude(username__in=preferred)]
    return (preferred + others)[:limit]


def plan() -> dict:
    today = timezone.localdate()
    month = today.replace(day=1)
    units = []
    for user in User.objects.filter(role=Role.UNIT, is_active=True, unit__isnull=False).order_by(
        "username"
    ):
        accepted = ProgressReport.objects.filter(
            unit=user.unit, month=month, status=ProgressReport.Status.ACCEPTED
        ).values("task")
        tasks = list(
            Task.objects.filter(task_list__year=today.year)
            .filter(Q(lead_unit=user.unit) | Q(cooperating_units=user.unit))
            .exclude(pk__in=accepted)
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()[:10]
        )
        if tasks:
            units.append({"username": user.username, "tasks": tasks})
        if len(units) == SLOTS:
            break

    # Each simulated secretary is one slot: the same account may be signed in several
    # times, but never two slots on one duty day (a second save would be a stale edit).
    secretaries = []
    for username in _accounts(Role.SECRETARY, limit=3):
        user = User.objects.get(username=username)
        shifts = list(
            DutyShift.objects.visible_to(user)
            .filter(is_cancelled=False, date__lte=today, date__gt=today - datetime.timedelta(90))
            .order_by("-date", "pk")
            .values_list("pk", flat=True)[: SLOTS * 6]
        )
        for slot in range(SLOTS // 3):
            mine = shifts[slot :: SLOTS // 3]
            if mine:
                secretaries.append({"username": username, "shifts": mine})

    stations = list(
        Station.objects.filter(is_active=True).order_by("pk").values_list("code", flat=True)[:200]
    )
    open_tasks = list(
        Task.objects.filter(task_list__year=today.year).order_by("pk").values_list("pk", flat=True)
    )
    return {
        "password": DEMO_PASSWORD,
        "staff": _accounts(Role.STAFF),
        "leader": _accounts(Role.LEADER),
        "deputy": _accounts(Role.DEPUTY, limit=1),
        "units": units,
        "secretaries": secretaries,
        "stations": stations,
        "tasks": open_tasks,
    }


def verify(mark: str, posted: dict[str, int]) -> dict:
    found = {
        "progress report": ProgressReport.history.filter(text__contains=mark).count(),
        "duty log": Reception.objects.filter(
            content__contains=mark, channel=Reception.Channel.STATION
        ).count(),
        "opinion": Reception.objects.filter(
            content__contains=mark, channel=Reception.Channel.ONLINE
        ).count(),
    }
    return {
        kind: {"posted": posted.get(kind, 0), "in_database": found[kind]} for kind in sorted(found)
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["plan"] and len(argv) == 2:
        Path(argv[1]).write_text(json.dumps(plan(), ensure_ascii=False, indent=1))
        return 0
    if argv[:1] == ["verify"] and len(argv) == 3:
        result = verify(argv[1], json.loads(Path(argv[2]).read_text()))
        print(json.dumps(result, ensure_ascii=False))
        return 0 if all(r["posted"] == r["in_database"] for r in result.values()) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
