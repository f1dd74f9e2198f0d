"""The header's account menu, the one-tap language switch, the sub-navigation's tabs and
"更多" menu, the filter drawers and the deputy's calendar (issue 16, navigation)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import DeputyFactory
from tests.tasks.conftest import task  # noqa: F401  (fixture)


def page_of(user, name: str, **kwargs) -> str:
    response = client_for(user).get(reverse(name, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_the_account_menu_holds_notifications_password_and_log_out(world):
    html = page_of(world.staff, "home")
    menu = re.search(r'<details class="account-menu">.*?</details>', html, re.S).group(0)
    assert "<summary" in menu and world.staff.display_name in menu
    assert f'href="{reverse("notifications:index")}"' in menu
    assert f'href="{reverse("password_change")}"' in menu and "修改密码" in menu
    assert f'action="{reverse("logout")}"' in menu and ">退出</button>" in menu


def test_the_menu_shows_the_unread_count(world):
    from django.utils import timezone

    from notifications.models import Kind, Notification

    Notification.objects.create(
        user=world.staff,
        kind=Kind.choices[0][0],
        key="k",
        title="一条通知",
        created_at=timezone.now(),
    )
    html = page_of(world.staff, "home")
    assert '<span class="account-menu__count" aria-hidden="true">1</span>' in html
    assert '<span class="notification-badge__count">1</span>' in html


def test_the_language_switch_is_one_button_per_language(world, client):
    html = client.get(reverse("login")).content.decode()
    switch = re.search(r'<form action="/i18n/setlang/".*?</form>', html, re.S).group(0)
    assert "<select" not in switch
    assert (
        '<span class="language-switch__current" aria-current="true" lang="zh-CN">简体中文</span>'
        in switch
    )
    assert (
        '<button type="submit" name="language" value="en" class="language-switch__choice" lang="en">English</button>'
        in switch
    )
    # The button's post switches at once.
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert 'value="zh-hans" class="language-switch__choice" lang="zh-CN">简体中文</button>' in html
    assert 'aria-current="true" lang="en">English</span>' in html


def test_the_tab_of_the_page_shown_is_marked(world):
    html = page_of(world.staff, "tasks:supervision")
    current = re.findall(r'<a href="([^"]*)" aria-current="page">([^<]*)</a>', html)
    assert current == [(reverse("tasks:supervision"), "督导工作清单")]

    html = page_of(world.secretary, "liaison_stations:receptions")
    current = re.findall(r'<a href="([^"]*)" aria-current="page">([^<]*)</a>', html)
    assert current == [(reverse("liaison_stations:receptions"), "接待记录")]


def test_copying_into_a_new_year_waits_in_the_more_menu(world, task):  # noqa: F811
    task_list = task.task_list
    html = page_of(world.staff, "tasks:index", query={"list": task_list.pk})
    more = re.search(r'<details class="more-menu">.*?</details>', html, re.S).group(0)
    assert "<summary>更多</summary>" in more
    assert reverse("tasks:list_copy", args=[task_list.pk]) in more
    assert reverse("tasks:import") in more
    # A leader neither imports nor copies: no menu at all.
    assert 'class="more-menu"' not in page_of(world.leader, "tasks:index")


@pytest.mark.parametrize(
    "name", ["deputies:index", "liaison_stations:index", "liaison_stations:receptions"]
)
def test_filters_fold_into_a_drawer(world, name):
    html = page_of(world.staff, name)
    assert '<details class="filter-drawer">\n  <summary>筛选条件</summary>' in html
    filtered = client_for(world.staff).get(reverse(name), {"q": ""}).content.decode()
    assert '<details class="filter-drawer" open>' in filtered


def test_the_deputy_adds_the_duty_calendar_with_one_tap_a_copy_or_a_qr_code(world):
    deputy = DeputyFactory(name="陆友红", region=world.township, user=world.deputy)
    html = page_of(world.deputy, "deputies:me")
    address = f"testserver{reverse('deputies:calendar', args=[deputy.calendar_token])}"
    assert f'<a class="button button--primary" href="webcal://{address}">添加到手机日历</a>' in html
    assert f'<input id="calendar-address" type="text" readonly value="http://{address}">' in html
    assert 'data-copy="#calendar-address"' in html and ">复制地址</button>" in html
    assert re.search(
        r'<img class="calendar-subscribe__qr" src="data:image/svg\+xml[^"]+" alt="您的日历地址二维码">',
        html,
    )
    # The raw address is no longer a link that widens the page.
    assert f'<a class="long-link" href="http://{address}">' not in html
    assert finders.find("js/portal.js")
