"""Rota generation from the opening rule, edits and swaps."""

import datetime as dt

import pytest
from django.urls import reverse

from liaison_stations.models import DutyShift, Station
from liaison_stations.services import StationError, duty_shift_swap, rota_generate
from tests.liaison_stations.factories import StationFactory, days, station_with_deputies

pytestmark = pytest.mark.django_db


def names(shift: DutyShift) -> list[str]:
    return sorted(d.name for d in shift.deputies.all())


def test_days_6_16_26_in_a_31_day_month_deputies_in_turn(world):
    station = station_with_deputies(world.township, 3)
    a, b, c = station.deputies.order_by("pk")
    shifts = rota_generate(station=station, year=2025, month=3)
    assert [s.date for s in shifts] == days("2025-03-06", "2025-03-16", "2025-03-26")
    # Two a day, in turn: (a, b), (c, a), (b, c).
    assert [set(s.deputies.all()) for s in shifts] == [{a, b}, {c, a}, {b, c}]


def test_the_turn_goes_on_into_the_next_month(world):
    station = station_with_deputies(world.township, 3)
    a, b, c = station.deputies.order_by("pk")
    rota_generate(station=station, year=2025, month=3)
    april = rota_generate(station=station, year=2025, month=4)
    assert set(april[0].deputies.all()) == {a, b}  # six places given out: the turn is back at a


def test_a_day_the_month_lacks_is_skipped_in_february(world):
    station = station_with_deputies(world.township, 2, rule_days="10,20,30")
    assert [s.date for s in rota_generate(station=station, year=2025, month=2)] == days(
        "2025-02-10", "2025-02-20"
    )
    leap = station_with_deputies(world.township, 2, rule_days="29")
    assert [s.date for s in rota_generate(station=leap, year=2024, month=2)] == days("2024-02-29")
    with pytest.raises(StationError):
        rota_generate(station=leap, year=2025, month=2)


def test_weekly_rule(world):
    station = station_with_deputies(world.township, 2, rule=Station.Rule.WEEKDAYS, rule_days="3")
    shifts = rota_generate(station=station, year=2025, month=1)
    assert [s.date for s in shifts] == days(
        "2025-01-01", "2025-01-08", "2025-01-15", "2025-01-22", "2025-01-29"
    )
    assert all(s.date.isoweekday() == 3 for s in shifts)


def test_a_station_without_deputies_gets_its_days_with_nobody_on_them(world):
    station = StationFactory(region=world.township)
    shifts = rota_generate(station=station, year=2025, month=3)
    assert len(shifts) == 3
    assert not DutyShift.deputies.through.objects.filter(dutyshift__station=station).exists()


def test_generating_again_changes_nothing(world):
    station = station_with_deputies(world.township, 3)
    first = rota_generate(station=station, year=2025, month=3)
    assert rota_generate(station=station, year=2025, month=3) == []
    assert DutyShift.objects.filter(station=station).count() == len(first)


def test_swap_exchanges_two_deputies(world):
    station = station_with_deputies(world.township, 4)
    a, b, c, d = station.deputies.order_by("pk")
    first, second = rota_generate(station=station, year=2099, month=3)[:2]
    assert set(first.deputies.all()) == {a, b} and set(second.deputies.all()) == {c, d}
    duty_shift_swap(shift=first, deputy=a, other_shift=second, other_deputy=c, by=world.secretary)
    assert set(first.deputies.all()) == {c, b}
    assert set(second.deputies.all()) == {a, d}
    assert "↔" in first.history.order_by("-history_date").first().history_change_reason


def test_swap_refuses_a_deputy_not_on_the_day(world):
    station = station_with_deputies(world.township, 4)
    a, b, c, d = station.deputies.order_by("pk")
    first, second = rota_generate(station=station, year=2099, month=3)[:2]
    with pytest.raises(StationError):
        duty_shift_swap(shift=first, deputy=c, other_shift=second, other_deputy=a, by=None)
    assert set(first.deputies.all()) == {a, b}


def test_secretary_generates_and_swaps_through_the_pages(world, as_user):
    station = station_with_deputies(world.township, 4, code="hmy-01")
    client = as_user(world.secretary)
    response = client.post(reverse("liaison_stations:rota", args=[station.code]) + "?month=2099-03")
    assert response.status_code == 302
    first, second = DutyShift.objects.filter(station=station).order_by("date")[:2]
    a = first.deputies.order_by("pk").first()
    c = second.deputies.order_by("pk").first()
    response = client.post(
        reverse("liaison_stations:swap", args=[station.code]),
        {"shift": first.pk, "deputy": a.pk, "other_shift": second.pk, "other_deputy": c.pk},
    )
    assert response.status_code == 302
    assert a in second.deputies.all() and c in first.deputies.all()


def test_editing_a_shift_twice_from_the_same_version_is_refused(world, as_user):
    station = station_with_deputies(world.township, 2, code="hmy-01")
    shift = rota_generate(station=station, year=2099, month=3)[0]
    client = as_user(world.secretary)
    url = reverse("liaison_stations:shift_edit", args=[shift.pk])
    data = {
        "date": "2099-03-07",
        "deputies": [d.pk for d in station.deputies.all()],
        "note": "改期",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "date": "2099-03-08"})
    assert response.status_code == 409  # a stale edit, as everywhere
    assert len(response.context["form"].non_field_errors()) == 1
    shift.refresh_from_db()
    assert shift.date == dt.date(2099, 3, 7)
