"""Request bodies over their limit are refused (413, with a message) before anything reads
them; signed-in pages are not kept by caches."""

import pytest
from django.urls import reverse

from liaison_stations.models import Reception
from tests.liaison_stations.conftest import places  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_an_anonymous_post_over_32_kb_is_refused_unread(world, places, client):  # noqa: F811
    url = reverse("public_stations:station", args=[places["home"].code])
    response = client.generic(
        "POST",
        url,
        content_type="application/x-www-form-urlencoded",
        **{"CONTENT_LENGTH": str(60 * 2**20), "wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "此表单最多接收 32 KB 的文字" in response.content.decode()
    assert not Reception.objects.filter(channel=Reception.Channel.ONLINE).exists()


def test_a_real_opinion_under_the_limit_is_taken(world, places, client):  # noqa: F811
    url = reverse("public_stations:station", args=[places["home"].code])
    data = {"content": "村口路灯坏了" * 300, "category": "roads", "consent": "on"}
    assert client.post(url, data).status_code in (302, 400)  # read and judged, not refused


def test_a_signed_in_upload_may_be_larger_but_not_without_end(world, as_user, settings):
    client = as_user(world.staff)
    url = reverse("tasks:import")
    big = client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=x",
        **{"CONTENT_LENGTH": str(settings.BODY_LIMIT_SIGNED_IN + 1), "wsgi.input": Unreadable()},
    )
    assert big.status_code == 413
    assert "最多 30 MB" in big.content.decode()
    # A 40 KB form is nothing for a signed-in page: read and answered as usual.
    answered = client.post(url, {"title": "x" * 40_000})
    assert answered.status_code == 400


def test_signed_in_pages_with_personal_data_are_not_kept_by_caches(world, as_user, places):  # noqa: F811
    from tests.factories import DeputyFactory

    deputy = DeputyFactory(region=world.township)
    client = as_user(world.staff)
    for url in (
        reverse("deputies:detail", args=[deputy.pk]),
        reverse("liaison_stations:receptions"),
        reverse("home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # The public poster stays cacheable: the rule is for signed-in pages.
    poster = client.get(reverse("public_stations:poster", args=[places["home"].code]))
    assert "public" in poster["Cache-Control"]
