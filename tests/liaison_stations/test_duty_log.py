"""The quick duty-log form, receptions and their handling, and query budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import Activity
from handovers.services import handover_answer, handover_verify
from liaison_stations.models import DutyLog, Reception
from liaison_stations.selectors import referral_of
from liaison_stations.services import StationError, reception_handle
from tests.liaison_stations.factories import ReceptionFactory, ShiftFactory, station_with_deputies

pytestmark = pytest.mark.django_db


def log_data(shift, attendees, rows=()):
    data = {
        "attendees": [d.pk for d in attendees],
        "hours": "3",
        "notes": "代表按时进站",
        "version": "",
        "r-TOTAL_FORMS": str(len(rows)),
        "r-INITIAL_FORMS": "0",
        "r-MIN_NUM_FORMS": "0",
        "r-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data.update({f"r-{i}-{k}": v for k, v in row.items()})
    return data


ANSWERED = {
    "channel": "station",
    "category": "social",
    "content": "低保复核有疑问",
    "handling": "answered",
    "answer": "当场解释政策",
}


def test_logging_a_duty_day_records_receptions_and_activities(world, places, as_user):
    shift = places["shifts"]["home"]
    came = list(shift.deputies.all())
    referred = {
        "channel": "station",
        "category": "roads",
        "content": "通组公路破损",
        "village": "金中村",
        "handling": "referred",
        "referred_unit": world.other_unit.pk,
        "referral_due": "2099-01-31",
    }
    response = as_user(world.secretary).post(
        reverse("liaison_stations:duty_log", args=[shift.pk]),
        log_data(shift, came, [ANSWERED, referred]),
    )
    assert response.status_code == 302
    log = DutyLog.objects.get(shift=shift)
    assert set(log.attendees.all()) == set(came) and log.recorded_by == world.secretary
    new = Reception.objects.filter(shift=shift).exclude(pk=places["receptions"]["home"].pk)
    assert sorted(new.values_list("handling", flat=True)) == ["answered", "referred"]
    assert new.get(handling="answered").closed_on == timezone.localdate()
    assert new.get(handling="referred").referred_unit == world.other_unit
    assert Activity.objects.filter(
        kind="station_duty", source_key=f"duty_log:{log.pk}"
    ).count() == len(came)


def test_correcting_the_log_keeps_one_activity_per_deputy(world, places, as_user):
    shift = places["shifts"]["home"]
    first, second = shift.deputies.all()[:2]
    client = as_user(world.secretary)
    url = reverse("liaison_stations:duty_log", args=[shift.pk])
    client.post(url, log_data(shift, [first, second]))
    log = DutyLog.objects.get(shift=shift)
    response = client.post(url, {**log_data(shift, [first]), "version": log.version})
    assert response.status_code == 302
    assert list(
        Activity.objects.filter(source_key=f"duty_log:{log.pk}").values_list("deputy", flat=True)
    ) == [first.pk]
    # A second correction from the stale version is refused.
    response = client.post(url, {**log_data(shift, [second]), "version": log.version})
    assert response.status_code == 409  # a stale edit, as everywhere
    assert list(DutyLog.objects.get(pk=log.pk).attendees.all()) == [first]


def test_a_referral_without_unit_is_shown_next_to_the_field(world, places, as_user):
    shift = places["shifts"]["home"]
    row = {"channel": "station", "category": "roads", "content": "路灯坏了", "handling": "referred"}
    response = as_user(world.secretary).post(
        reverse("liaison_stations:duty_log", args=[shift.pk]), log_data(shift, [], [row])
    )
    assert response.status_code == 400
    assert "referred_unit" in response.context["formset"].forms[0].errors
    assert not DutyLog.objects.exists()


def test_htmx_adds_a_reception_row_and_bumps_the_count(world, places, as_user):
    shift = places["shifts"]["home"]
    response = as_user(world.secretary).get(
        reverse("liaison_stations:duty_log", args=[shift.pk]) + "?row=2", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="r-2-content"' in body
    assert 'name="r-TOTAL_FORMS" value="3"' in body and "<html" not in body


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("zwei", "整数"),
        ("", "必填"),
        ("-1", "0"),
        ("30", "29"),
    ],
)
def test_a_malformed_row_is_refused_with_a_message(world, places, as_user, row, message):
    shift = places["shifts"]["home"]
    response = as_user(world.secretary).get(
        reverse("liaison_stations:duty_log", args=[shift.pk]),
        {"row": row},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_future_duty_day_cannot_be_logged(world, places, as_user):
    shift = ShiftFactory(station=places["home"], date=timezone.localdate() + dt.timedelta(days=3))
    response = as_user(world.secretary).post(
        reverse("liaison_stations:duty_log", args=[shift.pk]), log_data(shift, [])
    )
    assert response.status_code == 400
    assert not DutyLog.objects.filter(shift=shift).exists()


def test_referral_is_answered_verified_and_leaves_the_open_list(world, places, as_user):
    reception = ReceptionFactory(station=places["home"])
    reception = reception_handle(
        reception=reception,
        version=1,
        by=world.secretary,
        handling="referred",
        referred_unit=world.other_unit,
        referral_due=timezone.localdate(),
    )
    handover = referral_of(reception)
    # A day later it is overdue.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Reception.objects.filter(pk=reception.pk).update(referral_due=yesterday)
    client = as_user(world.secretary)
    rows = client.get(reverse("liaison_stations:referrals")).context["page"]
    assert [(r.pk, r.overdue) for r in rows] == [(reception.pk, True)]
    with pytest.raises(StationError):  # closing a referral is verifying the unit's answer
        reception_handle(
            reception=reception,
            version=reception.version,
            by=world.secretary,
            handling="referred",
            referred_unit=world.other_unit,
            referral_due=reception.referral_due,
            close=True,
        )
    handover_answer(handover=handover, by=world.outsider, text="已修复")
    handover_verify(handover=handover, by=world.secretary, accept=True, reason="满意")
    reception.refresh_from_db()
    assert reception.closed_on == timezone.localdate() and reception.result == "已修复"
    assert reception.feedback == "满意"
    assert list(client.get(reverse("liaison_stations:referrals")).context["page"]) == []
    assert reception.history.count() >= 2


def _many(world, stations: int, receptions: int):
    for i in range(stations):
        station = station_with_deputies(world.township, 3, code=f"q-{i:03d}")
        ShiftFactory(station=station).deputies.set(station.deputies.all()[:2])
        for _j in range(receptions):
            ReceptionFactory(station=station)


@pytest.mark.parametrize("size", [3, 30])
def test_station_list_query_budget(world, as_user, django_assert_max_num_queries, size):
    _many(world, size, 1)
    client = as_user(world.staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("liaison_stations:index"))
    assert response.context["page"].paginator.count == size


@pytest.mark.parametrize("size", [3, 30])
def test_public_page_query_budget(world, client, django_assert_max_num_queries, size):
    station = station_with_deputies(world.township, size, code="pub-01")
    for k in range(3):
        ShiftFactory(
            station=station, date=timezone.localdate() + dt.timedelta(days=k)
        ).deputies.set(station.deputies.all()[:2])
    with django_assert_max_num_queries(7):
        assert client.get(reverse("public_stations:station", args=["pub-01"])).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_reception_list_and_statistics_query_budget(
    world, as_user, django_assert_max_num_queries, size
):
    _many(world, 2, size)
    client = as_user(world.secretary)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("liaison_stations:receptions")).status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(reverse("liaison_stations:statistics"))
    assert response.context["share"].total == 2 * size


def test_age_of_a_reception_counts_local_days(world, places, settings):
    """Received at 00:30 in Shanghai (16:30 UTC the day before): on that local day it is
    0 days old, not 1."""
    import zoneinfo

    settings.TIME_ZONE = "Asia/Shanghai"
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    received = dt.datetime(2025, 3, 18, 0, 30, tzinfo=shanghai)
    reception = ReceptionFactory(station=places["home"], received_at=received)
    reception.refresh_from_db()  # as stored: UTC on PostgreSQL and SQLite alike
    assert reception.received_at.astimezone(dt.UTC).date() == dt.date(2025, 3, 17)
    assert reception.age_days(dt.date(2025, 3, 18)) == 0
    assert reception.age_days(dt.date(2025, 3, 25)) == 7
    assert str(reception).endswith("2025-03-18")


def test_referrals_page_shows_the_local_age(world, places, as_user, settings, monkeypatch):
    import zoneinfo

    settings.TIME_ZONE = "Asia/Shanghai"
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    reception = ReceptionFactory(
        station=places["home"],
        received_at=dt.datetime(2025, 3, 18, 0, 30, tzinfo=shanghai),
        handling=Reception.Handling.REFERRED,
        referred_unit=world.other_unit,
        referral_due=dt.date(2025, 4, 18),
    )
    # 2025-03-20 09:00 in Shanghai.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2025, 3, 20, 1, 0, tzinfo=dt.UTC))
    rows = as_user(world.secretary).get(reverse("liaison_stations:referrals")).context["page"]
    assert [(r.pk, r.age) for r in rows] == [(reception.pk, 2)]


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"handling": "referred", "referral_due": "2026-12-01"},
            "referred_unit",
            "请选择转办单位。",
        ),
        ({"handling": "answered", "answer": " "}, "answer", None),
        ({"handling": "referred", "close": "on"}, "referred_unit", None),
    ],
)
def test_handling_errors_stand_next_to_their_field(world, places, as_user, posted, field, message):
    reception = ReceptionFactory(station=places["home"])
    response = as_user(world.secretary).post(
        reverse("liaison_stations:reception", args=[reception.pk]),
        {"version": reception.version, **posted},
    )
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert form.errors[field] == [message]
    reception.refresh_from_db()
    assert reception.handling != "referred" or reception.referred_unit is not None


def test_closing_a_referral_by_ticking_says_so_by_the_close_box(world, places, as_user):
    reception = ReceptionFactory(station=places["home"])
    response = as_user(world.secretary).post(
        reverse("liaison_stations:reception", args=[reception.pk]),
        {
            "version": reception.version,
            "handling": "referred",
            "referred_unit": world.other_unit.pk,
            "referral_due": timezone.localdate().isoformat(),
            "result": "已修复",
            "close": "on",
        },
    )
    assert "close" in response.context["form"].errors
    reception.refresh_from_db()
    assert reception.closed_on is None and reception.handling == "pending"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_keep_one_log_and_tell_the_second(world, places):
    """A double tap on a slow phone: both requests find no log and try to create it."""
    import threading

    from django.db import connection

    from liaison_stations.services import duty_log_record

    shift = places["shifts"]["home"]
    came = list(shift.deputies.all())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save() -> None:
        try:
            barrier.wait()
            duty_log_record(shift=shift, by=world.secretary, attendees=came, hours=3, version=None)
            outcomes.append("saved")
        except StationError:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    assert DutyLog.objects.filter(shift=shift).count() == 1


def test_a_constituents_phone_is_not_copied_into_the_history(world, places):
    reception = ReceptionFactory(station=places["home"], visitor_phone="13812345678")
    reception_handle(
        reception=reception,
        version=reception.version,
        by=world.secretary,
        handling="answered",
        answer="当场答复",
    )
    assert reception.history.count() >= 1
    assert not any(
        "13812345678" in str(value) for row in reception.history.values() for value in row.values()
    )
