"""The rota names its month in words (2026年11月), not as 2026-11."""

from django.urls import reverse


def test_the_rota_names_its_month_in_words(world, places, as_user):
    url = reverse("liaison_stations:rota", args=[places["home"].code], query={"month": "2026-11"})
    page = as_user(world.secretary).get(url).content.decode()
    assert "<h1>值班表 · 2026年11月</h1>" in page
