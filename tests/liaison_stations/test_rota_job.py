"""The nightly job that makes next month's rota for every station (liaison_stations.generate_rota)."""

import datetime as dt

import pytest
from django.urls import reverse

from liaison_stations.jobs import generate_rota
from liaison_stations.models import DutyLog, DutyShift, Station
from liaison_stations.services import duty_shift_swap, rota_generate, rota_generate_ahead
from tests.liaison_stations.factories import StationFactory, days, station_with_deputies

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)  # next month is January 2027


def snapshot() -> list[tuple]:
    """Every duty day as it is: date, note, cancelled, version, deputies."""
    return [
        (
            s.station_id,
            s.date,
            s.note,
            s.is_cancelled,
            s.version,
            sorted(s.deputies.values_list("pk", flat=True)),
        )
        for s in DutyShift.objects.order_by("station_id", "date")
    ]


def test_the_job_makes_next_month_for_every_active_station_with_a_rule(world):
    monthly = station_with_deputies(world.township, 3)
    weekly = station_with_deputies(
        world.other_township, 2, rule=Station.Rule.WEEKDAYS, rule_days="3"
    )
    empty = StationFactory(region=world.street)  # no deputies: the days, nobody on them
    closed = station_with_deputies(world.township, 2, is_active=False)
    short = station_with_deputies(world.township, 2, rule_days="")  # no rule yet

    done = rota_generate_ahead(today=TODAY)

    assert (done.year, done.month) == (2027, 1)
    by_station = {
        station: list(
            DutyShift.objects.filter(station=station)
            .order_by("date")
            .values_list("date", flat=True)
        )
        for station in (monthly, weekly, empty, closed, short)
    }
    assert by_station[monthly] == days("2027-01-06", "2027-01-16", "2027-01-26")
    assert by_station[weekly] == days("2027-01-06", "2027-01-13", "2027-01-20", "2027-01-27")
    assert len(by_station[empty]) == 3
    assert by_station[closed] == [] and by_station[short] == []
    assert done.stations == 3 and done.shifts == 10
    # The deputies in turn, two a day, as the button does it.
    assert all(s.deputies.count() == 2 for s in DutyShift.objects.filter(station=monthly))


def test_a_second_run_creates_nothing_and_changes_nothing(world):
    station_with_deputies(world.township, 3)
    station_with_deputies(world.other_township, 2, rule=Station.Rule.WEEKDAYS, rule_days="1,4")
    rota_generate_ahead(today=TODAY)
    before = snapshot()

    again = rota_generate_ahead(today=TODAY + dt.timedelta(days=1))

    assert (again.stations, again.shifts) == (0, 0)
    assert snapshot() == before


def test_days_edited_swapped_cancelled_or_logged_survive_the_next_run(world):
    station = station_with_deputies(world.township, 4)
    first, second, third = rota_generate(station=station, year=2027, month=1)
    # Moved from the 6th to the 7th: the 6th must not come back.
    DutyShift.objects.filter(pk=first.pk).update(date=dt.date(2027, 1, 7), note="改期")
    a = second.deputies.order_by("pk").first()
    c = third.deputies.order_by("pk").first()
    duty_shift_swap(shift=second, deputy=a, other_shift=third, other_deputy=c, by=world.secretary)
    DutyShift.objects.filter(pk=third.pk).update(is_cancelled=True)
    DutyLog.objects.create(shift=second, hours=3)
    before = snapshot()

    done = rota_generate_ahead(today=TODAY)

    assert done.shifts == 0
    assert snapshot() == before
    assert not DutyShift.objects.filter(station=station, date=dt.date(2027, 1, 6)).exists()


def test_a_station_opened_mid_month_is_caught_up_the_next_night(world):
    station_with_deputies(world.township, 2)
    rota_generate_ahead(today=TODAY)
    late = station_with_deputies(world.other_township, 2)

    done = rota_generate_ahead(today=TODAY + dt.timedelta(days=1))

    assert done.stations == 1
    assert DutyShift.objects.filter(station=late).count() == 3


def test_in_december_the_job_makes_january_of_the_next_year(world):
    station = station_with_deputies(world.township, 2, rule_days="31")
    assert rota_generate_ahead(today=dt.date(2027, 1, 31)).shifts == 0  # February has no 31st
    assert rota_generate_ahead(today=dt.date(2026, 12, 31)).shifts == 1
    assert DutyShift.objects.get(station=station).date == dt.date(2027, 1, 31)


def test_the_registered_job_runs_the_service_for_the_local_date(world, monkeypatch):
    station_with_deputies(world.township, 2)
    monkeypatch.setattr("liaison_stations.jobs.timezone.localdate", lambda: TODAY)
    assert generate_rota.delay().get() == {"year": 2027, "month": 1, "stations": 1, "shifts": 3}
    assert generate_rota.delay().get()["shifts"] == 0


def test_the_rota_page_says_when_the_job_runs_and_offers_the_button_only_for_an_empty_month(
    world, as_user
):
    station = station_with_deputies(world.township, 2, code="hmy-01")
    rota_generate(station=station, year=2099, month=3)
    client = as_user(world.secretary)
    url = reverse("liaison_stations:rota", args=[station.code])
    made = client.get(url, {"month": "2099-03"}).content.decode()
    empty = client.get(url, {"month": "2099-04"}).content.decode()
    assert "1:30" in made and "1:30" in empty
    button = 'class="button--primary"'
    assert button not in made and button in empty
    # Pressing it on a made month changes nothing.
    before = snapshot()
    assert client.post(url + "?month=2099-03").status_code == 302
    assert snapshot() == before
