"""The notification centre, the header badge, mark-as-read and channel choices."""

import pytest
from django.urls import reverse

from notifications.models import ChannelChoice, Kind, Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db
PEOPLE = [
    "admin",
    "staff",
    "leader",
    "unit_contact",
    "secretary",
    "other_secretary",
    "county_secretary",
    "deputy",
    "outsider",
]


@pytest.mark.parametrize("person", PEOPLE)
def test_everyone_has_a_centre_showing_only_their_own(world, as_user, person):
    user = world.people[person]
    notification_send(user=user, kind=Kind.OTHER, title=f"给{user.username}的通知", key="a")
    notification_send(user=world.leader, kind=Kind.OTHER, title="领导的私人通知", key="b")
    response = as_user(user).get(reverse("notifications:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"给{user.username}的通知" in page
    assert ("领导的私人通知" in page) == (person == "leader")


def test_anonymous_goes_to_login(client):
    for name in ("notifications:index", "notifications:badge", "notifications:channels"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_badge_counts_unread_and_mark_as_read(world, as_user):
    for n in range(3):
        notification_send(user=world.staff, kind=Kind.OTHER, title=f"通知{n}", key=f"k{n}")
    client = as_user(world.staff)
    assert ">3<" in client.get(reverse("home")).content.decode()
    first = Notification.objects.filter(user=world.staff).first()
    response = client.post(
        reverse("notifications:mark_read"), {"notification": first.pk}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger"] == "notifications-changed"
    first.refresh_from_db()
    assert first.read_at is not None
    assert ">2<" in client.get(reverse("notifications:badge")).content.decode()
    client.post(reverse("notifications:mark_read"), {"all": "on"})
    assert not Notification.objects.filter(user=world.staff, read_at__isnull=True).exists()
    assert (
        "notification-badge__count"
        not in client.get(reverse("notifications:badge")).content.decode()
    )


def test_cannot_mark_another_persons_notification(world, as_user):
    notification_send(user=world.leader, kind=Kind.OTHER, title="t", key="k")
    note = Notification.objects.get()
    as_user(world.staff).post(reverse("notifications:mark_read"), {"notification": note.pk})
    note.refresh_from_db()
    assert note.read_at is None


def test_bad_input_is_400(world, as_user):
    client = as_user(world.staff)
    assert client.post(reverse("notifications:mark_read"), {}).status_code == 400
    assert client.get(reverse("notifications:index"), {"show": "bogus"}).status_code == 400


def test_unread_filter(world, as_user):
    notification_send(user=world.staff, kind=Kind.OTHER, title="未读的", key="u")
    notification_send(user=world.staff, kind=Kind.OTHER, title="已读的", key="r")
    Notification.objects.filter(key="r").update(read_at="2025-03-01T00:00Z")
    page = as_user(world.staff).get(reverse("notifications:index"), {"show": "unread"})
    assert "未读的" in page.content.decode() and "已读的" not in page.content.decode()


def test_channel_choice_is_saved(world, as_user):
    client = as_user(world.deputy)
    assert client.get(reverse("notifications:channels")).status_code == 200
    response = client.post(reverse("notifications:channels"), {})  # e-mail unticked
    assert response.status_code == 302
    assert ChannelChoice.objects.get(user=world.deputy, channel="email").enabled is False


def test_centre_query_count_is_constant(world, as_user, django_assert_max_num_queries):
    client = as_user(world.staff)
    for n in range(3):
        notification_send(user=world.staff, kind=Kind.OTHER, title="t", key=f"a{n}")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("notifications:index"))
    for n in range(30):
        notification_send(user=world.staff, kind=Kind.OTHER, title="t", key=f"b{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:index"))
