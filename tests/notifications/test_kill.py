"""A worker SIGKILLed in the middle of delivering: nothing is sent twice, nothing skipped.

The sweep and its delivery run in a separate OS process (tests/notifications/killable.py)
whose e-mail channel writes each message to a log file and hangs after a few. The test
kills that process with SIGKILL while it hangs, re-runs the sweep in a fresh process,
then lets a dispatcher retake what the dead one had claimed once, and only once, the
claim's lease has run out.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from notifications.models import CLAIM_LEASE, Delivery, Notification
from notifications.services import deliveries_dispatch
from tasks.models import Task
from tests.notifications.data import build_scene
from tests.notifications.killable import CHANNELS

TODAY = "2025-03-24"  # a Monday; the 31st is 7 days away, a milestone is due today
HANG_AFTER = 7

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def child_env(log: Path, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "KILL_TEST_HANG_AFTER"}
    }
    env.update(
        DATABASE_URL=(
            f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        DJANGO_SETTINGS_MODULE="congress_portal.settings",
        KILL_TEST_LOG=str(log),
        MEDIA_ROOT=str(django_settings.MEDIA_ROOT),
        **extra,
    )
    return env


def run_sweep(log: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            f"from tests.notifications.killable import main; main({TODAY!r})",
        ],
        env=child_env(log, **extra),
        cwd=django_settings.BASE_DIR,
    )


def logged(log: Path) -> Counter:
    if not log.exists():
        return Counter()
    return Counter(tuple(line.split(" ", 1)) for line in log.read_text().splitlines())


@pytest.fixture
def many_reminders(world):
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL")
    for person in (world.unit_contact, world.leader, world.staff, world.deputy):
        person.email = f"{person.username}@example.org"
        person.save()
    scene = build_scene(world)
    # 40 more tasks due on the 31st: more deliveries than the dead process gets through.
    Task.objects.bulk_create(
        Task(
            task_list=scene.task_list,
            aspect=scene.aspect,
            number=n,
            content=f"第{n}项：推动代表建议办理落实",
            lead_unit=world.unit,
            lead_leader=world.leader,
            deadline=dt.date(2025, 3, 31),
        )
        for n in range(10, 50)
    )
    return scene


def test_killed_mid_delivery_then_rerun_sends_every_reminder_exactly_once(
    many_reminders, tmp_path, settings, monkeypatch
):
    log = tmp_path / "sent.log"
    child = run_sweep(log, KILL_TEST_HANG_AFTER=str(HANG_AFTER))
    deadline = time.monotonic() + 60
    while not Path(f"{log}.hanging").exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"the sweep process did not reach the hanging channel ({child.returncode})")
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL

    # The dead process sent HANG_AFTER mails; it had claimed more, which it left
    # "sending", and its sweep never reached the later kinds of reminder.
    assert sum(logged(log).values()) == HANG_AFTER
    stranded = set(
        Delivery.objects.filter(status=Delivery.Status.SENDING).values_list("pk", flat=True)
    )
    assert stranded
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == HANG_AFTER
    recorded_before = Notification.objects.count()

    # A fresh process re-runs the sweep: it records what the dead one never reached and
    # sends it, but leaves the stranded deliveries alone while their lease lasts.
    rerun = run_sweep(log)
    assert rerun.wait(timeout=120) == 0
    assert Notification.objects.count() > recorded_before
    assert (
        set(Delivery.objects.filter(status=Delivery.Status.SENDING).values_list("pk", flat=True))
        == stranded
    )
    settings.NOTIFICATION_CHANNELS = CHANNELS
    monkeypatch.setenv("KILL_TEST_LOG", str(log))
    almost = timezone.now() + CLAIM_LEASE - dt.timedelta(minutes=1)
    assert deliveries_dispatch(now=almost) == 0
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == len(stranded)

    # Once the lease has run out, the next dispatcher (beat's, every five minutes) sends them.
    later = timezone.now() + CLAIM_LEASE + dt.timedelta(seconds=1)
    assert deliveries_dispatch(now=later) == len(stranded)

    sent = logged(log)
    expected = Counter(
        (str(user_id), key)
        for user_id, key in Notification.objects.filter(user__email__gt="").values_list(
            "user_id", "key"
        )
    )
    assert len(expected) > HANG_AFTER + len(stranded)
    assert sent == expected  # every reminder of an e-mail user, each exactly once
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert Delivery.objects.count() == len(expected)
    assert set(Delivery.objects.filter(pk__in=stranded).values_list("attempts", flat=True)) == {2}
