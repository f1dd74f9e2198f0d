"""The public page /s/<code>/: what it shows, the opinion form, its rate limit and honeypot."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from liaison_stations.models import Reception

pytestmark = pytest.mark.django_db

GOOD = {
    "content": "村口路灯坏了三个月，晚上出行不安全",
    "category": "roads",
    "consent": "on",
    "name": "",
    "phone": "",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_page_shows_station_deputies_and_duty_days_but_no_phone(world, places, client):
    station = places["home"]
    response = client.get(reverse("public_stations:station", args=[station.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "黄茅园镇人大代表联络站" in body and "陆友红" in body
    for deputy in station.deputies.all():
        assert deputy.phone not in body and deputy.masked_phone not in body
    assert len(response.context["upcoming"]) == 1


def test_unknown_station_is_404(db, client):
    assert client.get("/s/nope-01/").status_code == 404


def test_an_opinion_lands_in_the_secretarys_inbox(world, places, client, as_user):
    station = places["home"]
    response = client.post(
        reverse("public_stations:station", args=[station.code]), {**GOOD, "phone": "13912345678"}
    )
    assert response.status_code == 302
    reception = Reception.objects.get(channel=Reception.Channel.ONLINE)
    assert (
        reception.station == station
        and reception.consent
        and reception.visitor_phone == "13912345678"
    )
    inbox = as_user(world.secretary).get(reverse("liaison_stations:inbox")).context["page"]
    assert [r.pk for r in inbox] == [reception.pk]
    assert (
        list(as_user(world.other_secretary).get(reverse("liaison_stations:inbox")).context["page"])
        == []
    )


def test_the_secretarys_online_opinions_are_called_that_everywhere(world, places, client, as_user):
    """网上留言, not 收件箱: a unit's /inbox/ is something else."""
    client.post(reverse("public_stations:station", args=[places["home"].code]), GOOD)
    secretary = as_user(world.secretary)
    page = secretary.get(reverse("liaison_stations:inbox")).content.decode()
    assert "<title>网上留言 ·" in page and "<h1>网上留言</h1>" in page
    inbox = reverse("liaison_stations:inbox")
    assert f'<a href="{inbox}" aria-current="page">网上留言</a>' in page  # the tab, shown
    assert "网上留言 1 条待处理" in secretary.get(reverse("home")).content.decode()
    assert "收件箱" not in page


@pytest.mark.parametrize(
    "change, field",
    [
        ({"content": ""}, "content"),
        ({"content": "路"}, "content"),
        ({"consent": ""}, "consent"),
        ({"phone": "call me"}, "phone"),
        ({"category": "nonsense"}, "category"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(world, places, client, change, field):
    data = {**GOOD, **change}
    if not data["consent"]:
        del data["consent"]
    response = client.post(reverse("public_stations:station", args=[places["home"].code]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Reception.objects.filter(channel=Reception.Channel.ONLINE).exists()


# The limits as the tests set them (the defaults are 10, 60 and 300).
PER_DEVICE, PER_ADDRESS, PER_STATION_DAY = 3, 5, 8


@pytest.fixture
def limits(settings):
    settings.PUBLIC_OPINIONS_PER_DEVICE = PER_DEVICE
    settings.PUBLIC_OPINIONS_PER_ADDRESS = PER_ADDRESS
    settings.PUBLIC_OPINIONS_PER_STATION_DAY = PER_STATION_DAY


def _new_device(client) -> None:
    """The client becomes another phone: a fresh device cookie from the page."""
    client.cookies.clear()
    client.get(reverse("public_stations:station", args=["hmy-01"]))


def test_the_page_gives_each_device_its_cookie(world, places, client):
    response = client.get(reverse("public_stations:station", args=[places["home"].code]))
    cookie = response.cookies["portal_device"]
    assert len(cookie.value) >= 16 and cookie["httponly"] and cookie["samesite"] == "Lax"
    again = client.get(reverse("public_stations:station", args=[places["home"].code]))
    assert "portal_device" not in again.cookies  # kept, not replaced


def test_one_device_is_held_back_kindly_and_its_neighbours_are_not(world, places, client, limits):
    station = places["home"]
    station.contact_phone = "0745-3221001"
    station.save()
    url = reverse("public_stations:station", args=[station.code])
    _new_device(client)
    for _i in range(PER_DEVICE):
        assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.7").status_code == 302
    response = client.post(url, GOOD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    body = response.content.decode()
    # When to try again (the next full hour), and the other ways to reach the station.
    assert "请于" in body and ":00 后再试" in body
    assert "0745-3221001" in body and station.opening_hours in body
    assert Reception.objects.filter(channel=Reception.Channel.ONLINE).count() == PER_DEVICE
    # Another phone on the same village Wi-Fi is not held back.
    _new_device(client)
    assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.7").status_code == 302


def test_dropping_the_cookie_does_not_escape_the_device_limit(world, places, client, limits):
    url = reverse("public_stations:station", args=[places["home"].code])
    for _i in range(PER_DEVICE):
        client.cookies.clear()
        assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.7").status_code == 302
    client.cookies.clear()
    assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.7").status_code == 429


def test_one_address_shares_a_larger_limit_per_station(world, places, client, limits):
    url = reverse("public_stations:station", args=[places["home"].code])
    for _i in range(PER_ADDRESS):
        _new_device(client)
        assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.7").status_code == 302
    _new_device(client)
    assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.7").status_code == 429
    # The same address at another station is counted there.
    other = reverse("public_stations:station", args=[places["other"].code])
    assert client.post(other, GOOD, REMOTE_ADDR="10.0.0.7").status_code == 302


def test_many_addresses_stop_at_the_stations_day(world, places, client, limits):
    url = reverse("public_stations:station", args=[places["home"].code])
    for i in range(PER_STATION_DAY):
        _new_device(client)
        assert client.post(url, GOOD, REMOTE_ADDR=f"10.0.1.{i}").status_code == 302
    _new_device(client)
    response = client.post(url, GOOD, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429
    assert "请明天再试" in response.content.decode()


def test_simultaneous_posts_are_counted_before_any_is_taken(db, limits):
    """Twenty posts at once from one device: each reserves atomically before it is
    accepted, so exactly the allowed number pass."""
    import threading

    from liaison_stations.limits import LimitReached, opinion_reserve

    passed, start = [], threading.Barrier(20)

    def post():
        start.wait()
        try:
            opinion_reserve(station_pk=1, device="id:same-phone", address="10.0.0.7")
        except LimitReached:
            return
        passed.append(1)

    threads = [threading.Thread(target=post) for _i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == PER_DEVICE


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(world, places, client, limits):
    # No trusted proxy (the default): X-Forwarded-For is the client's own writing.
    url = reverse("public_stations:station", args=[places["home"].code])
    for i in range(PER_ADDRESS):
        _new_device(client)
        response = client.post(
            url, GOOD, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        )
        assert response.status_code == 302
    _new_device(client)
    response = client.post(url, GOOD, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429
    assert Reception.objects.filter(channel=Reception.Channel.ONLINE).count() == PER_ADDRESS


def test_behind_one_trusted_proxy_the_address_it_appended_counts(
    world, places, client, settings, limits
):
    settings.TRUSTED_PROXY_HOPS = 1
    url = reverse("public_stations:station", args=[places["home"].code])
    proxy = {"REMOTE_ADDR": "172.18.0.2"}  # every request arrives from the proxy
    for i in range(PER_ADDRESS):
        # The client prepends a different made-up address each time; the proxy appends
        # the real one, which is what counts.
        _new_device(client)
        forwarded = f"203.0.113.{i}, 198.51.100.9"
        assert client.post(url, GOOD, HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code == 302
    _new_device(client)
    response = client.post(url, GOOD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9", **proxy)
    assert response.status_code == 429
    # Another client behind the same proxy is not held back.
    response = client.post(url, GOOD, HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy)
    assert response.status_code == 302


@pytest.mark.parametrize(
    "hops, forwarded, expected",
    [
        (0, "1.1.1.1", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "1.1.1.1, 2.2.2.2", "2.2.2.2"),
        (2, "1.1.1.1, 2.2.2.2, 3.3.3.3", "2.2.2.2"),
        (2, "2.2.2.2", "2.2.2.2"),
    ],
)
def test_client_address(rf, settings, hops, forwarded, expected):
    from congress_portal.addresses import client_address

    settings.TRUSTED_PROXY_HOPS = hops
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_honeypot_keeps_nothing_and_looks_like_success(world, places, client):
    url = reverse("public_stations:station", args=[places["home"].code])
    response = client.post(url, {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Reception.objects.filter(channel=Reception.Channel.ONLINE).exists()


def test_qr_svg_points_at_the_public_page(world, places, client, settings):
    settings.PORTAL_BASE_URL = "https://rd.example.cn"
    response = client.get(reverse("public_stations:qr", args=[places["home"].code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") or b"<svg" in response.content[:200]


def test_poster_is_a_one_page_a4_pdf_with_chinese_text(world, places, client, tmp_path):
    import subprocess

    response = client.get(reverse("public_stations:poster", args=[places["home"].code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert "(A4)" in info
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "黄茅园镇人大代表联络站" in text
    # The opening hours are labelled as such, not as a case's status (未办结).
    assert "接待时间" in text and "未办结" not in text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSansCJK" in fonts.replace(" ", "") or "Noto" in fonts


def test_failed_submissions_do_not_use_up_the_limit(world, places, client, limits):
    url = reverse("public_stations:station", args=[places["home"].code])
    without_consent = {**GOOD, "consent": ""}
    for _i in range(PER_STATION_DAY + 2):
        assert client.post(url, without_consent, REMOTE_ADDR="10.0.0.9").status_code == 400
    # The visitor ticks the box at last: the opinion is taken.
    assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.9").status_code == 302
    assert Reception.objects.filter(channel=Reception.Channel.ONLINE).count() == 1


def _photo_of(deputy):
    from django.core.files.base import ContentFile

    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
        b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
        b"\x00\x00\x00IEND\xaeB`\x82"
    )
    deputy.photo.save("face.png", ContentFile(png))


def test_public_photos_are_those_of_deputies_on_a_public_station(world, places, client):
    from tests.factories import DeputyFactory

    on_station = places["me"]
    elsewhere = DeputyFactory(name="未进站代表", region=world.township)
    _photo_of(on_station)
    _photo_of(elsewhere)
    assert (
        client.get(reverse("public_stations:deputy_photo", args=[on_station.pk])).status_code == 200
    )
    assert (
        client.get(reverse("public_stations:deputy_photo", args=[elsewhere.pk])).status_code == 404
    )
    places["home"].is_active = False
    places["home"].save()
    assert (
        client.get(reverse("public_stations:deputy_photo", args=[on_station.pk])).status_code == 404
    )


def test_the_public_page_shows_only_seats_still_held(world, places, client):
    import datetime as dt

    from deputies.models import Level, Mandate

    me = places["me"]
    Mandate.objects.filter(deputy=me).delete()
    Mandate.objects.create(
        deputy=me,
        level=Level.COUNTY,
        congress="溆浦县第十八届人民代表大会",
        region=world.county,
        ended_on=dt.date(2026, 1, 1),
    )
    Mandate.objects.create(
        deputy=me,
        level=Level.TOWNSHIP,
        congress="黄茅园镇第七届人民代表大会",
        region=world.township,
    )
    response = client.get(reverse("public_stations:station", args=[places["home"].code]))
    deputies = {d.name: d for d in response.context["deputies"]}
    assert [m.level for m in deputies["陆友红"].mandates.all()] == [Level.TOWNSHIP]


def test_the_poster_is_made_once_per_version_and_cached_by_browsers(
    world, places, client, monkeypatch
):
    from weasyprint import HTML

    from liaison_stations.models import Station

    made = []
    real = HTML.write_pdf
    monkeypatch.setattr(HTML, "write_pdf", lambda self, *a, **k: made.append(1) or real(self))
    url = reverse("public_stations:poster", args=[places["home"].code])
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(made) == 1
    assert "public" in first["Cache-Control"] and "max-age=3600" in first["Cache-Control"]
    # The browser asks again with its ETag: nothing to send.
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A changed station is a new poster.
    Station.objects.filter(pk=places["home"].pk).update(opening_hours="14:00–17:00")
    Station.objects.filter(pk=places["home"].pk).update(version=places["home"].version + 1)
    third = client.get(url)
    assert third.status_code == 200 and len(made) == 2 and third["ETag"] != first["ETag"]
