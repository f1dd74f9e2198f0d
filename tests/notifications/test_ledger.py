"""The exactly-once rule of notification_send and notifications_record."""

import pytest
from django.core import mail
from django.db.models import F, Value

from notifications.models import Delivery, Kind, Notification
from notifications.services import (
    channel_choices_set,
    deliveries_dispatch,
    notification_send,
)

pytestmark = pytest.mark.django_db


def test_sending_twice_with_one_key_records_and_mails_once(
    world, django_capture_on_commit_callbacks
):
    world.staff.email = "staff@example.org"
    world.staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_send(
            user=world.staff, kind=Kind.OTHER, title="请报送3月进度", key="k1", url="/tasks/"
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = notification_send(
            user=world.staff, kind=Kind.OTHER, title="请报送3月进度", key="k1"
        )
    assert (first, second) == (True, False)
    assert Notification.objects.filter(user=world.staff).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "请报送3月进度"
    assert mail.outbox[0].to == ["staff@example.org"]
    assert "/tasks/" in mail.outbox[0].body
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_same_key_for_two_people_reaches_both(world):
    assert notification_send(user=world.staff, kind=Kind.OTHER, title="a", key="same")
    assert notification_send(user=world.leader, kind=Kind.OTHER, title="a", key="same")
    assert Notification.objects.count() == 2


def test_user_without_email_gets_in_app_only(world):
    notification_send(user=world.leader, kind=Kind.OTHER, title="t", key="k")
    assert Notification.objects.filter(user=world.leader).exists()
    assert not Delivery.objects.exists()


def test_user_who_turned_email_off_gets_in_app_only(world):
    world.staff.email = "staff@example.org"
    world.staff.save()
    channel_choices_set(user=world.staff, choices={"email": False})
    notification_send(user=world.staff, kind=Kind.OTHER, title="t", key="k")
    assert Notification.objects.filter(user=world.staff).count() == 1
    assert not Delivery.objects.exists()
    assert deliveries_dispatch() == 0
    assert mail.outbox == []


def test_a_sweep_queues_one_dispatch_job_per_chunk_and_each_sends_its_share(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import jobs as notification_jobs
    from notifications import services
    from notifications.services import notifications_record
    from organisation.models import User
    from tests.factories import UserFactory

    for n in range(5):
        UserFactory(username=f"u{n}", email=f"u{n}@example.org")
    monkeypatch.setattr(services, "DISPATCH_CHUNK", 2)
    jobs = []

    def recorded_dispatch(**kwargs):
        jobs.append(kwargs["at_most"])
        return deliveries_dispatch(**kwargs)

    monkeypatch.setattr(notification_jobs, "deliveries_dispatch", recorded_dispatch)
    candidates = User.objects.filter(email__endswith="@example.org").annotate(
        n_user=F("pk"), n_key=Value("k"), n_title=Value("t"), n_body=Value(""), n_url=Value("")
    )
    with django_capture_on_commit_callbacks(execute=True):
        recorded = notifications_record(kind=Kind.OTHER, candidates=candidates)
        services.dispatch_on_commit(recorded.deliveries)
    assert (recorded.count, recorded.deliveries) == (5, 5)
    assert jobs == [2, 2, 2]
    assert sorted(m.to[0] for m in mail.outbox) == [f"u{n}@example.org" for n in range(5)]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5


def test_dispatch_stops_at_its_share(world):
    for n, person in enumerate((world.staff, world.leader, world.deputy)):
        person.email = f"p{n}@example.org"
        person.save()
        notification_send(user=person, kind=Kind.OTHER, title="t", key="k")
    assert deliveries_dispatch(at_most=2, claim=1) == 2
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 1
    assert deliveries_dispatch() == 1
    assert len(mail.outbox) == 3


class OutOfTimeChannel:
    """An e-mail channel whose job hits Celery's soft time limit on the second message."""

    name = "email"
    calls = 0

    def send(self, notification) -> None:
        OutOfTimeChannel.calls += 1
        if OutOfTimeChannel.calls == 2:
            from celery.exceptions import SoftTimeLimitExceeded

            raise SoftTimeLimitExceeded()


def test_a_job_out_of_time_stops_and_leaves_the_rest_for_the_next(world, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from notifications import services

    for person in (world.staff, world.leader, world.deputy):
        person.email = f"{person.username}@example.org"
        person.save()
        notification_send(user=person, kind=Kind.OTHER, title="t", key="k")
    OutOfTimeChannel.calls = 0
    monkeypatch.setattr(services, "channel_named", lambda name: OutOfTimeChannel())
    with pytest.raises(SoftTimeLimitExceeded):
        deliveries_dispatch(claim=1)
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    # one sent, the one in hand stays "sending" for the lease, one never touched
    assert statuses == sorted(
        [Delivery.Status.SENT, Delivery.Status.SENDING, Delivery.Status.PENDING]
    )
    assert OutOfTimeChannel.calls == 2
