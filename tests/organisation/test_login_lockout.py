"""Guessing passwords is stopped (django-axes): after ten wrong passwords the account is
locked whatever the address, and the address whatever the account, with a page in
Chinese that says when to try again; the admin's login is guarded the same way."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def _try(client, username, password, address="10.0.0.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_ten_wrong_passwords_lock_the_account_even_with_the_right_one(world, client, settings):
    for _i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "staff", "guess").status_code == 200  # the form again
    assert _try(client, "staff", "guess").status_code == 429  # the tenth: paused
    response = _try(client, "staff", "portal-demo")
    assert response.status_code == 429
    body = response.content.decode()
    assert "暂停" in body and "15 分钟" in body
    assert "_auth_user_id" not in client.session
    # Locked whatever the address: a second connection cannot try the account either.
    assert _try(client, "staff", "portal-demo", address="10.9.9.9").status_code == 429
    # Another account from another address signs in as usual.
    assert _try(client, "leader", "portal-demo", address="10.9.9.9").status_code == 302


def test_one_address_guessing_many_accounts_is_locked(world, client, settings):
    names = ["staff", "leader", "unit", "secretary", "deputy", "nobody"]
    for i in range(settings.AXES_FAILURE_LIMIT):
        _try(client, names[i % len(names)], "guess", address="10.0.0.66")
    assert _try(client, "leader", "portal-demo", address="10.0.0.66").status_code == 429
    assert _try(client, "leader", "portal-demo", address="10.0.0.67").status_code == 302


def test_a_few_mistakes_then_the_right_password_signs_in(world, client):
    for _i in range(3):
        _try(client, "staff", "guess")
    assert _try(client, "staff", "portal-demo").status_code == 302


def test_the_admin_login_is_guarded_too(world, client, settings):
    url = reverse("admin:login")
    for _i in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "admin", "password": "guess"}, REMOTE_ADDR="10.0.0.8")
    response = client.post(
        url, {"username": "admin", "password": "portal-demo"}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 429
