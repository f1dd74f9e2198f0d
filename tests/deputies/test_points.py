"""The points table 积分: each activity earns the points of the rule valid on its date,
yearly caps per kind, totals and rankings in SQL; the activities other modules push
through ``activity_record`` (session check-ins, receptions)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ballots.services import check_in, check_in_undo, session_create, session_open
from deputies.models import Activity, Deputy, Level, Mandate, PointRule
from deputies.selectors import rank_of, ranking, ranks_of, year_at_a_glance, yearly_caps
from deputies.services import activity_record, point_rule_save, points_apply
from liaison_stations.services import ReceptionInput, duty_log_record
from tests.ballots.conftest import make_deputies
from tests.liaison_stations.factories import ShiftFactory, station_with_deputies

pytestmark = pytest.mark.django_db
KIND = Activity.Kind


def rule(kind, points, start, end=None, cap=None):
    return point_rule_save(
        rule=PointRule(
            kind=kind,
            points=Decimal(points),
            valid_from=dt.date.fromisoformat(start),
            valid_to=dt.date.fromisoformat(end) if end else None,
            yearly_cap=Decimal(cap) if cap else None,
        ),
        by=None,
    )


def record(deputy, kind, day, n=1):
    for i in range(n):
        activity_record(deputy=deputy, kind=kind, date=dt.date.fromisoformat(day), title=f"活动{i}")


def test_a_rule_change_from_next_year_does_not_rewrite_this_year(world):
    deputy = make_deputies(world.township, 1)[0]
    old = rule(KIND.STATION_DUTY, "2", "2025-01-01")
    record(deputy, KIND.STATION_DUTY, "2025-06-06")
    assert Activity.objects.get().points == Decimal("2")

    # Next year's table: the old rule ends with this year, a new one starts.
    old.valid_to = dt.date(2025, 12, 31)
    point_rule_save(rule=old, by=world.staff)
    rule(KIND.STATION_DUTY, "3", "2026-01-01")
    record(deputy, KIND.STATION_DUTY, "2026-03-06")
    points = dict(Activity.objects.values_list("date__year", "points"))
    assert points == {2025: Decimal("2"), 2026: Decimal("3")}

    # Changing the 2026 rule re-prices 2026 only.
    new = PointRule.objects.get(valid_from=dt.date(2026, 1, 1))
    new.points = Decimal("4")
    point_rule_save(rule=new, by=world.staff)
    points = dict(Activity.objects.values_list("date__year", "points"))
    assert points == {2025: Decimal("2"), 2026: Decimal("4")}
    assert year_at_a_glance(deputy, 2025)[1] == Decimal("2")
    assert year_at_a_glance(deputy, 2026)[1] == Decimal("4")


def test_overlapping_rules_of_one_kind_are_refused(world):
    rule(KIND.MEETING, "1", "2026-01-01")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rule(KIND.MEETING, "2", "2026-06-01")


def test_a_yearly_cap_holds_a_kind_to_its_cap(world):
    deputy = make_deputies(world.township, 1)[0]
    rule(KIND.SUGGESTION, "5", "2026-01-01", cap="12")
    rule(KIND.TRAINING, "1.5", "2026-01-01")
    record(deputy, KIND.SUGGESTION, "2026-02-01", n=4)  # 20 earned, 12 counted
    record(deputy, KIND.TRAINING, "2026-02-02", n=2)  # 3
    record(deputy, KIND.TRAINING, "2025-12-31")  # another year, no rule then
    kinds, total = year_at_a_glance(deputy, 2026)
    assert total == Decimal("15")
    by_kind = {k["kind"]: (k["count"], k["points"], k["counted"]) for k in kinds}
    assert by_kind == {
        "suggestion": (4, Decimal("20"), Decimal("12")),
        "training": (2, Decimal("3"), Decimal("3")),
    }
    seat = Mandate.objects.get(deputy=deputy)
    assert rank_of(deputy, year=2026, mandate=seat)["points"] == Decimal("15")


def test_points_apply_prices_bulk_inserted_entries_by_the_table_not_by_row(world):
    deputy = make_deputies(world.township, 1)[0]
    rule(KIND.STATION_DUTY, "2", "2020-01-01", "2025-12-31")
    rule(KIND.STATION_DUTY, "3", "2026-01-01")

    def entries(n):
        Activity.objects.bulk_create(
            [
                Activity(
                    deputy=deputy,
                    kind=KIND.STATION_DUTY,
                    date=dt.date(2025 + i % 2, 5, 6),
                    title="值班",
                )
                for i in range(n)
            ]
            + [
                Activity(
                    deputy=deputy, kind=KIND.OTHER, date=dt.date(2026, 5, 6), title="其他", points=1
                )
            ]
        )

    entries(4)
    with CaptureQueriesContext(connection) as few:
        points_apply()
    entries(400)
    with CaptureQueriesContext(connection) as many:
        points_apply()
    assert len(few) == len(many)
    assert set(Activity.objects.values_list("date__year", "kind", "points")) == {
        (2025, "station_duty", Decimal("2")),
        (2026, "station_duty", Decimal("3")),
        (2026, "other", None),  # no line of the table for it
    }


def test_ranking_by_level_and_region_and_a_deputy_with_two_seats(world):
    rule(KIND.STATION_DUTY, "2", "2020-01-01")
    home = make_deputies(world.township, 3)
    other = make_deputies(world.other_township, 2)
    both = home[0]
    Mandate.objects.create(
        deputy=both, level=Level.COUNTY, congress="溆浦县第十八届人民代表大会", region=world.county
    )
    record(both, KIND.STATION_DUTY, "2026-03-06", n=3)
    record(home[1], KIND.STATION_DUTY, "2026-03-06", n=1)
    record(other[0], KIND.STATION_DUTY, "2026-03-06", n=2)
    record(other[1], KIND.STATION_DUTY, "2025-03-06", n=9)  # last year

    township = list(ranking(year=2026, level=Level.TOWNSHIP, region=world.township))
    assert [(s.deputy, s.points, s.rank) for s in township] == [
        (both, Decimal("6"), 1),
        (home[1], Decimal("2"), 2),
        (home[2], Decimal("0"), 3),
    ]
    county_wide = list(ranking(year=2026, level=Level.TOWNSHIP, region=world.county))
    assert [(s.deputy.pk, s.rank, s.rank_in_congress) for s in county_wide][:3] == [
        (both.pk, 1, 1),
        (other[0].pk, 2, 1),
        (home[1].pk, 3, 2),
    ]
    county_seats = list(ranking(year=2026, level=Level.COUNTY, region=world.city))
    assert [(s.deputy, s.points, s.activities) for s in county_seats] == [(both, Decimal("6"), 3)]


def _deputies_with_activities(region, n):
    deputies = make_deputies(region, n)
    Activity.objects.bulk_create(
        [
            Activity(
                deputy=d,
                kind=KIND.STATION_DUTY if i % 2 else KIND.SUGGESTION,
                date=dt.date(2026, 1 + i % 12, 6),
                title="值班",
                points=Decimal(i % 5),
            )
            for d in deputies
            for i in range(3)
        ],
        batch_size=2000,
    )


def _ranking_queries(region):
    with CaptureQueriesContext(connection) as queries:
        rows = list(ranking(year=2026, level=Level.TOWNSHIP, region=region))
        names = [(r.deputy.name, r.region.name, r.points, r.rank) for r in rows]
    return len(queries), len(names)


def test_a_ranking_costs_the_same_queries_at_100_and_5000_deputies(world):
    rule(KIND.SUGGESTION, "3", "2020-01-01", cap="4")
    _deputies_with_activities(world.township, 100)
    small, rows = _ranking_queries(world.township)
    assert rows == 100
    _deputies_with_activities(world.other_township, 4900)
    large, rows = _ranking_queries(world.county)
    assert rows == 5000
    assert small == large == 2  # the caps, then the ranking


def test_session_attendance_comes_from_the_check_in(world):
    rule(KIND.SESSION, "5", "2020-01-01")
    deputies = make_deputies(world.township, 3)
    session = session_create(
        name="黄茅园镇七届人大五次会议",
        region=world.township,
        level=Level.TOWNSHIP,
        date=dt.date(2026, 1, 8),
        by=world.secretary,
    )
    session_open(session=session, by=world.secretary)
    check_in(session=session, deputy=deputies[0], by=world.secretary)
    check_in(session=session, deputy=deputies[1], by=world.secretary)
    check_in(session=session, deputy=deputies[2], by=world.secretary, on_leave=True)
    entries = Activity.objects.filter(kind=KIND.SESSION)
    assert set(entries.values_list("deputy", flat=True)) == {deputies[0].pk, deputies[1].pk}
    assert entries.first().points == Decimal("5")
    # Leave taken after all, and a check-in undone: the entries go.
    check_in(session=session, deputy=deputies[0], by=world.secretary, on_leave=True)
    check_in_undo(session=session, deputy=deputies[1], by=world.secretary)
    assert not entries.exists()


def test_a_reception_counts_once_for_each_deputy_on_duty(world):
    from django.utils import timezone

    station = station_with_deputies(world.township, 3)
    on_duty = list(station.deputies.all()[:2])
    shift = ShiftFactory(station=station, date=timezone.localdate())
    row = ReceptionInput(channel="station", category="roads", content="路面破损")
    duty_log_record(
        shift=shift,
        by=world.secretary,
        attendees=on_duty,
        hours=Decimal("3"),
        receptions=[row, row],
    )
    receptions = Activity.objects.filter(kind=KIND.RECEPTION)
    assert sorted(receptions.values_list("deputy", flat=True)) == sorted(
        [on_duty[0].pk, on_duty[0].pk, on_duty[1].pk, on_duty[1].pk]
    )
    # Saving the log again with one deputy struck off: their receptions go too.
    log = shift.log
    duty_log_record(
        shift=shift,
        by=world.secretary,
        attendees=on_duty[:1],
        hours=Decimal("3"),
        version=log.version,
    )
    assert set(receptions.values_list("deputy", flat=True)) == {on_duty[0].pk}
    assert receptions.count() == 2
    assert Deputy.objects.count() == 3


def test_a_deputys_places_in_all_their_congresses_are_read_in_one_query(world):
    """``ranks_of`` gives, for each seat, the deputy's row of that congress's ranking (what
    ``ranking`` gives for it alone), all the congresses ranked in one query."""
    rule(KIND.STATION_DUTY, "2", "2020-01-01", cap="8")
    home = make_deputies(world.township, 3)
    other = make_deputies(world.other_township, 2)
    both = home[1]
    for level, region in ((Level.COUNTY, world.county), (Level.CITY, world.city)):
        Mandate.objects.create(deputy=both, level=level, congress="人民代表大会", region=region)
    Mandate.objects.create(deputy=other[0], level=Level.COUNTY, congress="县", region=world.county)
    record(home[0], KIND.STATION_DUTY, "2026-03-06", n=3)
    record(both, KIND.STATION_DUTY, "2026-03-06", n=2)
    record(other[0], KIND.STATION_DUTY, "2026-03-06", n=5)  # 10 earned, 8 counted
    seats = list(Mandate.objects.filter(deputy=both).select_related("region").order_by("level"))
    assert len(seats) == 3
    caps = yearly_caps(2026)
    with CaptureQueriesContext(connection) as queries:
        places = ranks_of(both, year=2026, seats=seats, caps=caps)
    assert len(queries) == 1
    for seat in seats:
        alone = {s.deputy_id: s for s in ranking(year=2026, level=seat.level, region=seat.region)}[
            both.pk
        ]
        assert places[seat.pk] == {
            "points": alone.points,
            "activities": alone.activities,
            "rank": alone.rank,
            "rank_in_congress": alone.rank_in_congress,
        }
        assert places[seat.pk] == rank_of(both, year=2026, mandate=seat)
    by_level = {seat.level: places[seat.pk] for seat in seats}
    assert by_level[Level.TOWNSHIP]["rank"] == 2 and by_level[Level.COUNTY]["rank"] == 2
    assert by_level[Level.CITY]["rank"] == 1 and by_level[Level.CITY]["points"] == Decimal("4")
