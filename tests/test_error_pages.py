"""The 403, 404, 500 and CSRF-failure pages: Chinese, the site's look, a way back.

Run with DEBUG off, as in production (Django shows its technical pages otherwise).
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_not_required
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.views.defaults import server_error

from congress_portal.urls import urlpatterns as portal_urlpatterns

pytestmark = pytest.mark.django_db


@login_not_required
def _broken(request):
    raise RuntimeError("a fault the person must never see")


# This module is also the URLconf of the 500 tests: the portal's pages plus a broken one.
urlpatterns = [path("broken/", _broken), *portal_urlpatterns]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _text(response) -> str:
    return response.content.decode()


def test_404_for_a_signed_in_person_is_chinese_and_leads_home(world, as_user):
    response = as_user(world.staff).get("/no-such-page/")
    assert response.status_code == 404
    body = _text(response)
    assert "找不到此页面" in body
    assert f'href="{reverse("home")}"' in body and "返回首页" in body
    assert "site-header" in body  # the site's own layout
    assert world.staff.display_name in body  # with the header of a signed-in page


def test_404_for_a_record_outside_the_scope_is_the_same_page(world, as_user):
    response = as_user(world.secretary).get(reverse("liaison_stations:station", args=["nope"]))
    assert response.status_code == 404
    assert "找不到此页面" in _text(response)


def test_404_for_a_visitor_offers_sign_in(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = _text(response)
    assert "找不到此页面" in body
    assert f'href="{reverse("login")}"' in body


def test_404_in_english(world, as_user):
    visitor = as_user(world.staff)
    visitor.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = visitor.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page cannot be found" in _text(response)


def test_403_says_the_page_is_for_other_roles_and_leads_home(world, as_user):
    # The secretaries' inbox of online opinions is not a unit contact's page.
    response = as_user(world.unit_contact).get(reverse("liaison_stations:inbox"))
    assert response.status_code == 403
    body = _text(response)
    assert "此页面供其他角色使用" in body
    assert "单位联络员" in body  # the role they are signed in with
    assert f'href="{reverse("home")}"' in body and "返回首页" in body


def test_500_raised_in_a_view_renders_the_page(world, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(world.staff)
    response = client.get("/broken/")
    assert response.status_code == 500
    body = _text(response)
    assert "系统出错了" in body
    assert f'href="{reverse("home")}"' in body
    assert "a fault the person must never see" not in body
    assert "RuntimeError" not in body


def test_500_page_needs_neither_the_request_nor_the_database(django_assert_num_queries):
    # Django's server_error renders 500.html without a request context; the page must
    # come out whole when the fault is that the database is gone.
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = _text(response)
    assert "系统出错了" in body and "css/portal.css" in body and 'name="viewport"' in body


def test_a_post_without_csrf_token_gets_the_expired_form_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = client.post(reverse("notifications:mark_read"), {"all": "1"})
    assert response.status_code == 403
    body = _text(response)
    assert "页面已过期" in body
    assert "刷新页面后重新提交" in body
    assert f'href="{reverse("home")}"' in body
    # The technical reason stays in the log.
    assert "cookie not set" not in body and "verification failed" not in body


def test_a_sign_in_with_a_stale_form_offers_to_sign_in_again(db):
    # Signed out in another tab, or the session ended: the login form itself is stale.
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = _text(response)
    assert "页面已过期" in body
    assert "重新登录" in body and f'href="{reverse("login")}"' in body
