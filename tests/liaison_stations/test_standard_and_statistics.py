"""Two rules that had no test: when a station meets the 十有 standard (达标), and the
numbers of the statistics page, each on a small world built by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison_stations import selectors
from liaison_stations.models import DutyLog, Reception, StandardCriterion, StandardRating
from tests.liaison_stations.factories import (
    ReceptionFactory,
    ShiftFactory,
    criteria,
    station_with_deputies,
)

pytestmark = pytest.mark.django_db

RATED = dt.date(2026, 3, 1)


def rate(station, criterion, met=True):
    return StandardRating.objects.update_or_create(
        station=station, criterion=criterion, defaults={"met": met, "rated_on": RATED}
    )[0]


# --- 十有 达标 ---------------------------------------------------------------------------


@pytest.fixture
def three(world):
    """Three criteria (a small 十有) and three stations of the secretary's county: one
    meeting all three, one meeting two (the third rated not met), one not rated."""
    StandardCriterion.objects.all().delete()
    crit = criteria(3)
    full = station_with_deputies(world.township, 1, code="full", name="全部达标站")
    part = station_with_deputies(world.township, 1, code="part", name="两项达标站")
    none = station_with_deputies(world.other_township, 1, code="none", name="未评定站")
    for c in crit:
        rate(full, c)
    rate(part, crit[0])
    rate(part, crit[1])
    rate(part, crit[2], met=False)
    return {"criteria": crit, "full": full, "part": part, "none": none}


def below_codes(user):
    return sorted(s.code for s in selectors.stations_below_standard(user))


def county_row(user):
    (row,) = selectors.standard_counts_by_county(user)
    return {k: row[k] for k in ("stations", "meeting", "below")}


def test_a_station_meets_the_standard_with_every_active_criterion_met(world, three):
    assert selectors.criteria_count() == 3
    met = {s.code: s.met_count for s in selectors.stations_for(world.staff)}
    assert met == {"full": 3, "part": 2, "none": 0}
    assert below_codes(world.staff) == ["none", "part"]
    assert county_row(world.staff) == {"stations": 3, "meeting": 1, "below": 2}


def test_a_rating_turned_to_not_met_takes_the_station_below(world, three):
    rate(three["full"], three["criteria"][1], met=False)
    assert below_codes(world.staff) == ["full", "none", "part"]
    assert county_row(world.staff) == {"stations": 3, "meeting": 0, "below": 3}


def test_a_retired_criterion_is_neither_needed_nor_counted(world, three):
    """Retiring the criterion ``part`` fails makes it meet the standard; a met rating of a
    retired criterion does not make up for an active one missing."""
    retired = three["criteria"][2]
    retired.is_active = False
    retired.save()
    assert selectors.criteria_count() == 2
    assert below_codes(world.staff) == ["none"]
    assert county_row(world.staff) == {"stations": 3, "meeting": 2, "below": 1}

    # A fourth criterion: ``full`` has only two of the three active ones now.
    (extra,) = [StandardCriterion.objects.create(number=4, title="有4")]
    rate(three["full"], retired)
    assert {s.code: s.met_count for s in selectors.stations_for(world.staff)}["full"] == 2
    assert below_codes(world.staff) == ["full", "none", "part"]
    rate(three["full"], extra)
    assert below_codes(world.staff) == ["none", "part"]


def test_without_an_active_criterion_no_station_meets_the_standard(world, three, as_user):
    """Every page says the same: before, the overview said every station met it while the
    list showed 0/0 and the county counts had them all below."""
    StandardCriterion.objects.update(is_active=False)
    assert below_codes(world.staff) == ["full", "none", "part"]
    assert county_row(world.staff) == {"stations": 3, "meeting": 0, "below": 3}
    below = as_user(world.staff).get(reverse("liaison_stations:index"), {"below_standard": "on"})
    assert len(below.context["page"]) == 3
    overview = as_user(world.staff).get(reverse("liaison_stations:standard"))
    assert len(overview.context["below"]) == 3


def test_the_standard_as_the_pages_show_it(world, three, as_user):
    """The station list's badge and its 未达标 filter, and the 十有 overview, say the same."""
    client = as_user(world.secretary)  # 黄茅园镇: sees ``full`` and ``part`` only
    page = client.get(reverse("liaison_stations:index")).content.decode()
    assert page.count("达标") >= 1 and "2/3" in page
    below = client.get(reverse("liaison_stations:index"), {"below_standard": "on"})
    assert [s.code for s in below.context["page"]] == ["part"]
    overview = as_user(world.staff).get(reverse("liaison_stations:standard"))
    # In the order of the regions' codes: 卢峰镇 (431224101) before 黄茅园镇.
    assert [s.code for s in overview.context["below"]] == ["none", "part"]
    (row,) = overview.context["counties"]
    assert (row["county"], row["stations"], row["meeting"], row["below"]) == (
        world.county,
        3,
        1,
        2,
    )


# --- Statistics --------------------------------------------------------------------------


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day} 10:00"))


@pytest.fixture
def year_2025(world):
    """2025 at three stations (two counties), and a reception each side of the year.

    黄茅园镇 (溆浦县): 4 receptions — Jan roads closed, Jan social open, Mar roads closed,
      Mar roads open; duty days 6 Jan logged, 16 Jan logged, 26 Jan not, 6 Feb cancelled.
    卢峰镇 (溆浦县): 2 receptions — Mar social closed, Mar other open; duty days 6 Jan
      logged, 16 Jan not.
    城中街道 (鹤城区): 1 reception — Dec education closed; duty day 6 Dec not logged.
    Outside the year: 31 Dec 2024 and 1 Jan 2026 (same station), not counted.
    """
    home = station_with_deputies(world.township, 1, code="hmy", name="黄茅园镇站")
    other = station_with_deputies(world.other_township, 1, code="lf", name="卢峰镇站")
    far = station_with_deputies(world.street, 1, code="cz", name="城中街道站")
    closed = dt.date(2025, 12, 31)
    rows = [
        (home, "2025-01-10", "roads", closed),
        (home, "2025-01-20", "social", None),
        (home, "2025-03-05", "roads", closed),
        (home, "2025-03-06", "roads", None),
        (other, "2025-03-16", "social", closed),
        (other, "2025-03-17", "other", None),
        (far, "2025-12-06", "education", closed),
        (home, "2024-12-31", "roads", closed),
        (home, "2026-01-01", "roads", closed),
    ]
    for station, day, category, closed_on in rows:
        ReceptionFactory(
            station=station, received_at=at(day), category=category, closed_on=closed_on
        )
    shifts = [
        (home, "2025-01-06", True, False),
        (home, "2025-01-16", True, False),
        (home, "2025-01-26", False, False),
        (home, "2025-02-06", False, True),
        (other, "2025-01-06", True, False),
        (other, "2025-01-16", False, False),
        (far, "2025-12-06", False, False),
        (home, "2024-12-26", True, False),
    ]
    for station, day, logged, cancelled in shifts:
        shift = ShiftFactory(
            station=station, date=dt.date.fromisoformat(day), is_cancelled=cancelled
        )
        if logged:
            DutyLog.objects.create(shift=shift, hours=Decimal(3))
    return {"home": home, "other": other, "far": far}


def stats(client, **query):
    response = client.get(reverse("liaison_stations:statistics"), {"year": 2025, **query})
    assert response.status_code == 200
    return response


def test_the_statistics_of_a_year_for_the_office(world, year_2025, as_user):
    response = stats(as_user(world.staff))
    c = response.context
    assert (c["share"].total, c["share"].resolved, c["share"].percent) == (7, 4, 57.1)
    assert (c["duty"].scheduled, c["duty"].held, c["duty"].percent) == (6, 3, 50.0)
    assert [(r["month"], r["total"], r["resolved"]) for r in c["by_month"]] == [
        (dt.date(2025, 1, 1), 2, 1),
        (dt.date(2025, 3, 1), 4, 2),
        (dt.date(2025, 12, 1), 1, 1),
    ]
    assert [(r["category"], r["total"]) for r in c["by_category"]] == [
        ("roads", 3),
        ("social", 2),
        ("education", 1),
        ("other", 1),
    ]
    assert [(r["station__code"], r["total"], r["resolved"]) for r in c["by_station"]] == [
        ("hmy", 4, 2),
        ("lf", 2, 1),
        ("cz", 1, 1),
    ]
    assert [
        (r["county"], r["scheduled"], r["held"], r["percent"]) for r in c["duty_by_county"]
    ] == [
        ("鹤城区", 1, 0, 0.0),  # in the order of the regions' codes: 431202 first
        ("溆浦县", 5, 3, 60.0),
    ]
    page = response.content.decode()
    assert "57.1%" in page and "4 / 7" in page and "50.0%" in page


def test_the_statistics_of_a_region_and_of_a_township_secretary(world, year_2025, as_user):
    county = stats(as_user(world.staff), region=world.county.code).context
    assert (county["share"].total, county["share"].resolved) == (6, 3)
    assert (county["duty"].scheduled, county["duty"].held) == (5, 3)

    mine = stats(as_user(world.secretary)).context  # 黄茅园镇 only
    assert (mine["share"].total, mine["share"].resolved, mine["share"].percent) == (4, 2, 50.0)
    assert (mine["duty"].scheduled, mine["duty"].held, mine["duty"].percent) == (3, 2, 66.7)
    assert [r["station__code"] for r in mine["by_station"]] == ["hmy"]
    assert [(r["county"], r["scheduled"], r["held"]) for r in mine["duty_by_county"]] == [
        ("溆浦县", 3, 2)
    ]


def test_the_statistics_of_a_year_without_receptions(world, year_2025, as_user):
    c = stats(as_user(world.staff), year=2024).context
    assert (c["share"].total, c["share"].resolved, c["share"].percent) == (1, 1, 100.0)
    c = stats(as_user(world.staff), year=2023).context
    assert (c["share"].total, c["share"].percent) == (0, 0.0)
    assert (c["duty"].scheduled, c["duty"].percent) == (0, 0.0)
    assert c["by_month"] == [] and c["by_station"] == [] and c["duty_by_county"] == []
    assert Reception.objects.count() == 9


# --- Empty states and filters that tell the truth ------------------------------------------


def test_the_deputy_is_told_who_reads_the_receptions_and_how_many(world, places, as_user):
    home = places["home"]
    for _i in range(9):
        ReceptionFactory(station=home)
    page = as_user(world.deputy).get(reverse("liaison_stations:station", args=[home.code]))
    text = page.content.decode()
    assert "接待记录由联络站秘书查看，本站共有 10 条接待记录。" in text
    assert "暂无接待记录" not in text and "/stations/receptions/" not in text

    secretary = as_user(world.secretary).get(reverse("liaison_stations:station", args=[home.code]))
    assert len(secretary.context["receptions"]) == 10
    assert "接待记录由联络站秘书查看" not in secretary.content.decode()


def test_a_region_filter_with_one_region_is_left_out(world, places, as_user):
    """A township secretary has one region: no region select on the list or statistics."""
    for name in ("index", "statistics"):
        mine = as_user(world.secretary).get(reverse(f"liaison_stations:{name}"))
        assert "region" not in mine.context["form"].fields
        assert 'name="region"' not in mine.content.decode()
        county = as_user(world.county_secretary).get(reverse(f"liaison_stations:{name}"))
        assert 'name="region"' in county.content.decode()
