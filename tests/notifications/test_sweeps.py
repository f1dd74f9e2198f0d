"""Reminder sweeps: every kind, exactly once, interrupted and re-run, Asia/Shanghai edges."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from liaison_stations import reminders as station_reminders
from notifications.models import Delivery, Kind, Notification
from notifications.services import deliveries_dispatch
from tasks import reminders as task_reminders
from tests.notifications.data import build_scene, reception

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def scene(world):
    world.unit_contact.email = "unit@example.org"
    world.unit_contact.save()
    return build_scene(world)


def keys(**filters) -> list[str]:
    return sorted(Notification.objects.filter(**filters).values_list("key", flat=True))


@pytest.mark.django_db
def test_deadline_seven_and_one_day_reminders_go_to_the_lead_unit(world, scene):
    task_reminders.deadlines_due(dt.date(2025, 3, 24))  # 31st is 7 days away
    task_reminders.deadlines_due(dt.date(2025, 3, 24))
    task_reminders.deadlines_due(dt.date(2025, 3, 30))  # 1 day away
    titles = list(
        Notification.objects.filter(user=world.unit_contact, kind=Kind.DEADLINE_DUE)
        .order_by("key")
        .values_list("title", flat=True)
    )
    # Tasks 1–3 have a deadline (task 4 is long-term), each reminded at 7 and at 1 day.
    assert len(titles) == 6
    assert "任务到期提醒：第1项将于2025年3月31日到期" in titles
    assert not Notification.objects.filter(user=world.outsider).exists()


@pytest.mark.django_db
def test_a_day_without_a_sweep_delays_the_reminder_but_never_loses_it(world, scene):
    # The milestone is due on the 24th: a sweep on the 17th would send the 7-day
    # reminder; none ran until the 19th (5 days away) — it is sent then.
    task_reminders.deadlines_due(dt.date(2025, 3, 19))
    assert keys(kind=Kind.MILESTONE_DUE) == [
        f"milestone-due-7:{scene.tasks[1].milestones.get().pk}:2025-03-24"
    ]


@pytest.mark.django_db
def test_overdue_escalates_once_to_the_lead_leader(world, scene):
    for day in (dt.date(2025, 4, 1), dt.date(2025, 4, 2), dt.date(2025, 4, 9)):
        task_reminders.overdue_escalation(day)
    assert Notification.objects.filter(user=world.leader, kind=Kind.OVERDUE).count() == 3
    # A new deadline is a new escalation.
    task = scene.tasks[0]
    task.deadline = dt.date(2025, 4, 5)
    task.save()
    task_reminders.overdue_escalation(dt.date(2025, 4, 9))
    assert Notification.objects.filter(user=world.leader, kind=Kind.OVERDUE).count() == 4


@pytest.mark.django_db
def test_progress_due_from_the_20th_only_for_units_with_a_missing_report(world, scene):
    assert task_reminders.progress_due(dt.date(2025, 3, 19)) == 0
    assert task_reminders.progress_due(dt.date(2025, 3, 20)) == 1
    assert task_reminders.progress_due(dt.date(2025, 3, 25)) == 0  # same month, same key
    assert task_reminders.progress_due(dt.date(2025, 3, 26)) == 0  # past the 25th
    note = Notification.objects.get(kind=Kind.PROGRESS_DUE)
    assert note.user == world.unit_contact
    assert note.title == "请于3月25日前报送3月工作进度"


@pytest.mark.django_db
def test_weekly_digest_once_per_iso_week_to_staff_and_leaders(world, scene):
    task_reminders.weekly_digest(dt.date(2025, 3, 17))  # Monday
    task_reminders.weekly_digest(dt.date(2025, 3, 19))  # same week
    task_reminders.weekly_digest(dt.date(2025, 3, 24))  # next Monday
    assert Notification.objects.filter(kind=Kind.WEEKLY_DIGEST, user=world.staff).count() == 2
    assert Notification.objects.filter(kind=Kind.WEEKLY_DIGEST, user=world.leader).count() == 2
    assert not Notification.objects.filter(
        kind=Kind.WEEKLY_DIGEST, user=world.unit_contact
    ).exists()
    assert "周调度" in Notification.objects.filter(kind=Kind.WEEKLY_DIGEST).first().title


@pytest.mark.django_db
def test_duty_tomorrow_reaches_the_deputy_once(world, scene):
    station_reminders.duty_tomorrow(dt.date(2025, 3, 15))
    station_reminders.duty_tomorrow(dt.date(2025, 3, 16))  # the day itself: nothing new
    notes = Notification.objects.filter(kind=Kind.DUTY_TOMORROW)
    assert [n.user for n in notes] == [world.deputy]
    assert notes[0].title == "值班提醒：2025年3月16日到黄茅园镇人大代表联络站进站履职"


@pytest.mark.django_db
def test_the_stations_sweep_leaves_referral_deadlines_to_the_handovers_sweep(world, scene):
    """A referral is a handover: its deadline is reminded once, by the handovers' sweep,
    linked to its page in /inbox/ (tests/liaison_stations/test_referrals.py)."""
    received = dt.datetime(2025, 3, 6, 10, tzinfo=SHANGHAI)
    reception(scene, world, due=dt.date(2025, 3, 20), at=received)
    for day in (dt.date(2025, 3, 13), dt.date(2025, 3, 19), dt.date(2025, 3, 22)):
        assert station_reminders.sweep(today=day) == {"duty": 0}
    assert not Notification.objects.filter(kind=Kind.REFERRAL_DUE).exists()


@pytest.mark.django_db
def test_interrupted_sweep_rerun_misses_nothing_and_repeats_nothing(
    world, scene, monkeypatch, django_capture_on_commit_callbacks
):
    today = dt.date(2025, 3, 24)  # a Monday, the 31st 7 days away, milestone due today
    with django_capture_on_commit_callbacks(execute=True):
        expected = task_reminders.sweep(today=today)
    expected_keys = keys()
    expected_mails = len(mail.outbox)
    assert sum(expected.values()) == len(expected_keys) > 5
    Notification.objects.all().delete()
    mail.outbox.clear()

    def killed(today):
        raise SystemExit("worker killed")

    monkeypatch.setattr(task_reminders, "overdue_escalation", killed)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        task_reminders.sweep(today=today)
    partial = len(keys())
    assert 0 < partial < len(expected_keys)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        task_reminders.sweep(today=today)
    assert keys() == expected_keys
    # Deliveries recorded before the "kill" but never dispatched are sent by the re-run's
    # dispatcher sweep; none twice.
    deliveries_dispatch()
    assert len(mail.outbox) == expected_mails
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == expected_mails


@pytest.mark.django_db
def test_shanghai_today_decides_at_the_month_end(world, scene):
    from unittest import mock

    from django.utils import timezone

    # 2025-03-20 00:30 in Shanghai is still the 19th in UTC: the progress reminder is due.
    instant = dt.datetime(2025, 3, 19, 16, 30, tzinfo=dt.UTC)
    with mock.patch.object(timezone, "now", return_value=instant):
        assert timezone.localdate() == dt.date(2025, 3, 20)
        assert task_reminders.sweep()["progress_due"] == 1
    # 2025-04-01 00:10 in Shanghai (31 March in UTC): task deadlines of the 31st are overdue.
    instant = dt.datetime(2025, 3, 31, 16, 10, tzinfo=dt.UTC)
    with mock.patch.object(timezone, "now", return_value=instant):
        assert task_reminders.sweep()["overdue"] == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once(world, scene):
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL")
    today = dt.date(2025, 3, 24)
    barrier = threading.Barrier(4)
    errors = []

    def run(kind):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(3):
                if kind == "sweep":
                    task_reminders.sweep(today=today)
                    station_reminders.sweep(today=today)
                deliveries_dispatch()
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=run, args=(k,)) for k in ("sweep", "sweep", "dispatch", "dispatch")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    deliveries_dispatch()
    notes = Notification.objects.all()
    assert notes.count() > 5
    assert len({(n.user_id, n.key) for n in notes}) == notes.count()
    email_notes = notes.filter(user=world.unit_contact).count()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == email_notes
    assert len(mail.outbox) == email_notes
    assert len({m.subject for m in mail.outbox}) == email_notes
