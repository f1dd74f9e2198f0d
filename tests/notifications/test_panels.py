"""The home page ("what needs me today") shows the user's unread notifications."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.panels import SHOWN
from notifications.services import notification_send
from tests.notifications.test_views import PEOPLE

pytestmark = pytest.mark.django_db


def send(user, title: str, key: str, *, minutes_ago: int = 0, url: str = "") -> Notification:
    notification_send(user=user, kind=Kind.OTHER, title=title, key=key, url=url)
    note = Notification.objects.get(user=user, key=key)
    # Distinct times so "latest" is well defined.
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return note


@pytest.mark.parametrize("person", PEOPLE)
def test_home_lists_my_unread_notifications_and_no_one_elses(world, as_user, person):
    user = world.people[person]
    send(user, f"请{user.username}报送3月进度", "mine", url="/tasks/")
    send(user, f"{user.username}已读的通知", "read")
    Notification.objects.filter(user=user, key="read").update(read_at=timezone.now())
    other = world.leader if person != "leader" else world.staff
    send(other, "别人的通知", "theirs")
    page = as_user(user).get(reverse("home")).content.decode()
    assert "未读通知" in page
    assert f'<a href="/tasks/">请{user.username}报送3月进度</a>' in page
    assert f"{user.username}已读的通知" not in page
    assert "别人的通知" not in page
    assert f'href="{reverse("notifications:index")}?show=unread"' in page


def test_no_panel_when_everything_is_read(world, as_user):
    send(world.staff, "旧通知", "old")
    Notification.objects.update(read_at=timezone.now())
    assert "未读通知" not in as_user(world.staff).get(reverse("home")).content.decode()


def test_the_latest_few_and_how_many_more(world, as_user):
    for n in range(SHOWN + 3):
        send(world.staff, f"第{n}条通知", f"k{n}", minutes_ago=n)
    page = as_user(world.staff).get(reverse("home")).content.decode()
    shown = [n for n in range(SHOWN + 3) if f"第{n}条通知" in page]
    assert shown == list(range(SHOWN))  # the newest ones
    assert f'<p class="count">{SHOWN + 3}</p>' in page
    assert "通知中心还有3条" in page


def test_home_query_count_does_not_grow_with_notifications(
    world, as_user, django_assert_max_num_queries
):
    client = as_user(world.staff)
    for n in range(SHOWN + 1):
        send(world.staff, "t", f"a{n}")
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("home"))
    for n in range(40):
        send(world.staff, "t", f"b{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("home"))
