"""The move of station referrals onto handovers keeps every referral, with its days.

Rows are written the old way (a referred reception with its unit, deadline, result,
feedback and closing day, and the history rows that said when the result was written
and who closed it) at the schema before the data migration; then it migrates forward
and finds each as a handover with the steps it went through; and back, and finds the
receptions as they were and no referral handover.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("liaison_stations", "0006_opinion_submission")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def migrate(targets):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), SHANGHAI)


def old_shape(apps) -> dict:
    Region = apps.get_model("organisation", "Region")
    Unit = apps.get_model("organisation", "Unit")
    User = apps.get_model("organisation", "User")
    Station = apps.get_model("liaison_stations", "Station")
    Reception = apps.get_model("liaison_stations", "Reception")
    History = apps.get_model("liaison_stations", "HistoricalReception")
    county = Region.objects.create(code="9431224", name="溆浦县", level="county", path="/9431224/")
    township = Region.objects.create(
        code="94312241", name="黄茅园镇", level="township", parent=county, path="/9431224/94312241/"
    )
    unit = Unit.objects.create(
        name="溆浦县交通运输局", short_name="溆浦县交通局", kind="government"
    )
    secretary = User.objects.create(username="sec", role="secretary", region=township)
    station = Station.objects.create(
        code="hmy", name="黄茅园镇联络站", kind="township", region=township
    )

    def received(day, **values):
        return Reception.objects.create(
            station=station,
            received_at=at(day),
            channel="station",
            category="roads",
            content="村道路面破损，雨天出行困难",
            recorded_by=secretary,
            **values,
        )

    def history(reception, when, user=None, **changes):
        fields = {f.attname for f in History._meta.concrete_fields}
        values = {
            f.attname: getattr(reception, f.attname)
            for f in Reception._meta.concrete_fields
            if f.attname in fields
        }
        History.objects.create(
            **(values | changes), history_date=when, history_type="~", history_user=user
        )

    referred = {"handling": "referred", "referred_unit": unit}
    rows = {
        "handed": received(dt.date(2025, 3, 6), referral_due=dt.date(2025, 4, 6), **referred),
        "no_due": received(dt.date(2025, 1, 31), **referred),
        "answered": received(
            dt.date(2025, 3, 6), referral_due=dt.date(2025, 4, 6), result="已列入计划", **referred
        ),
        "closed": received(
            dt.date(2025, 2, 3),
            referral_due=dt.date(2025, 3, 3),
            result="已修复路面",
            feedback="群众满意",
            closed_on=dt.date(2025, 3, 10),
            **referred,
        ),
        "spot": received(
            dt.date(2025, 2, 3),
            handling="answered",
            answer="当场解释",
            closed_on=dt.date(2025, 2, 3),
        ),
    }
    history(rows["answered"], at(dt.date(2025, 3, 20), 15))
    history(rows["closed"], at(dt.date(2025, 3, 1), 9), closed_on=None)  # the result written
    history(rows["closed"], at(dt.date(2025, 3, 10), 16), user=secretary)  # and closed
    return {"rows": rows, "unit": unit, "secretary": secretary, "township": township}


def test_every_referral_survives_as_a_handover_with_its_days():
    try:
        old = old_shape(migrate(BEFORE))
        rows = old["rows"]
        snapshot = {
            key: (r.handling, r.referred_unit_id, r.referral_due, r.result, r.closed_on)
            for key, r in rows.items()
        }

        apps = migrate(None)
        Handover = apps.get_model("handovers", "Handover")
        Reception = apps.get_model("liaison_stations", "Reception")
        handovers = {h.subject_id: h for h in Handover.objects.filter(kind="referral")}
        assert set(handovers) == {rows[k].pk for k in ("handed", "no_due", "answered", "closed")}
        for h in handovers.values():
            assert (h.unit_id, h.region_id, h.checked_by) == (
                old["unit"].pk,
                old["township"].pk,
                "office",
            )
            assert h.handed_by_id == old["secretary"].pk

        def steps(h):
            return [
                (s.action, s.at.astimezone(SHANGHAI).date(), s.by_id, s.text)
                for s in h.steps.order_by("at", "pk")
            ]

        handed = handovers[rows["handed"].pk]
        assert (handed.state, handed.handed_on, handed.due_on) == (
            "handed",
            dt.date(2025, 3, 6),
            dt.date(2025, 4, 6),
        )
        assert steps(handed) == [("handed", dt.date(2025, 3, 6), old["secretary"].pk, "")]
        assert handovers[rows["no_due"].pk].due_on == dt.date(2025, 2, 28)  # a month later
        answered = handovers[rows["answered"].pk]
        assert (answered.state, answered.answer, answered.answered_on) == (
            "answered",
            "已列入计划",
            dt.date(2025, 3, 20),  # the day the result was written
        )
        closed = handovers[rows["closed"].pk]
        assert (closed.state, closed.closure, closed.closed_on, closed.answered_on) == (
            "closed",
            "verified",
            dt.date(2025, 3, 10),
            dt.date(2025, 3, 1),
        )
        assert steps(closed) == [
            ("handed", dt.date(2025, 2, 3), old["secretary"].pk, ""),
            ("answered", dt.date(2025, 3, 1), None, "已修复路面"),
            ("verified", dt.date(2025, 3, 10), old["secretary"].pk, "群众满意"),
        ]
        # The receptions themselves are untouched.
        assert {
            key: tuple(
                Reception.objects.filter(pk=r.pk).values_list(
                    "handling", "referred_unit", "referral_due", "result", "closed_on"
                )[0]
            )
            for key, r in rows.items()
        } == snapshot

        # Back, the referrals' handovers go.
        old_apps = migrate(BEFORE)
        assert not Handover.objects.exists()
        assert old_apps.get_model("liaison_stations", "Reception").objects.count() == 5
    finally:
        migrate(None)
