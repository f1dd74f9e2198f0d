"""Which pages answer without signing in: an explicit list, checked against every URL.

LoginRequiredMiddleware makes every view private unless it is marked
@login_not_required; this test keeps the list of such views from growing unnoticed.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC_VIEWS = {
    "healthz",
    "login",
    "set_language",
    "public_stations:station",
    "public_stations:thanks",
    "public_stations:qr",
    "public_stations:poster",
    "public_stations:deputy_photo",
    "deputies:calendar",  # a phone calendar subscribes with the secret address alone
    "livelihood:results",  # a session's livelihood projects as the congress decided them
    # The secret ballot: the code on a slip is the only credential; the published
    # receipts, without choices, are for every deputy to find theirs.
    "vote:index",
    "vote:receipts",
    "vote:receipt_list",
}


def _named_views(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":  # the admin has its own login and staff check
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_views(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern.callback


def test_only_the_listed_views_are_public():
    public = {
        name
        for name, view in _named_views(get_resolver())
        if not getattr(view, "login_required", True)
    }
    assert public == PUBLIC_VIEWS


def test_every_view_has_a_name():
    assert all(name and not name.endswith("None") for name, _ in _named_views(get_resolver()))


@pytest.mark.django_db
def test_a_private_page_sends_the_anonymous_visitor_to_login(client):
    response = client.get(reverse("tasks:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_an_anonymous_visitor_may_switch_language_on_the_login_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "<h1>Log in</h1>" in client.get("/accounts/login/").content.decode()
