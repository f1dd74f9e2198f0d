"""The move of supervision follow-up items onto handovers keeps every item.

Items are written the old way (one open, one closed by its unit with a note and an
evidence file) at the schema before the data migration; forward, each is a handover to
its unit kept by the city and led by the visit's leader, the closed one answered with
its note and file and verified that day; back, the handovers go and the items stay.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("tasks", "0006_import_job")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def migrate(targets):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def old_shape(apps) -> dict:
    Region = apps.get_model("organisation", "Region")
    Unit = apps.get_model("organisation", "Unit")
    User = apps.get_model("organisation", "User")
    TaskList = apps.get_model("tasks", "TaskList")
    Aspect = apps.get_model("tasks", "Aspect")
    Task = apps.get_model("tasks", "Task")
    Visit = apps.get_model("tasks", "SupervisionVisit")
    Item = apps.get_model("tasks", "FollowUpItem")
    Evidence = apps.get_model("tasks", "Evidence")
    city = Region.objects.create(code="94312", name="怀化市", level="city", path="/94312/")
    county = Region.objects.create(
        code="9431224", name="溆浦县", level="county", parent=city, path="/94312/9431224/"
    )
    unit = Unit.objects.create(name="溆浦县人大常委会", short_name="溆浦县人大", region=county)
    leader = User.objects.create(username="leader", role="leader")
    contact = User.objects.create(username="unit", role="unit", unit=unit)
    task_list = TaskList.objects.create(
        year=2025, title="任务清单", kind="committee", reports_start=dt.date(2025, 1, 1)
    )
    aspect = Aspect.objects.create(task_list=task_list, number=1, title="代表工作")
    task = Task.objects.create(
        task_list=task_list,
        aspect=aspect,
        number=1,
        content="联络站建设",
        lead_unit=unit,
        is_long_term=True,
    )
    visit = Visit.objects.create(
        leader=leader, visited_on=dt.date(2025, 3, 12), places="溆浦县黄茅园镇"
    )
    open_item = Item.objects.create(
        visit=visit, task=task, unit=unit, description="台账不全", due_date=dt.date(2025, 4, 30)
    )
    closed = Item.objects.create(
        visit=visit,
        task=task,
        unit=unit,
        description="经费未纳入预算",
        due_date=dt.date(2025, 4, 12),
        closed_on=dt.date(2025, 4, 2),
        closing_note="已纳入2025年预算",
        closed_by=contact,
    )
    Evidence.objects.create(
        task=task,
        follow_up=closed,
        file="tasks/evidence/2025/04/abc.pdf",
        original_name="预算批复.pdf",
        content_type="application/pdf",
        size=1234,
        uploaded_by=contact,
    )
    return {
        "open": open_item,
        "closed": closed,
        "unit": unit,
        "leader": leader,
        "contact": contact,
        "city": city,
    }


def test_every_follow_up_item_survives_as_a_handover():
    try:
        old = old_shape(migrate(BEFORE))
        apps = migrate(None)
        Handover = apps.get_model("handovers", "Handover")
        Item = apps.get_model("tasks", "FollowUpItem")
        handovers = {h.subject_id: h for h in Handover.objects.filter(kind="follow_up")}
        assert set(handovers) == {old["open"].pk, old["closed"].pk}
        for h in handovers.values():
            assert (h.unit_id, h.region_id, h.leader_id, h.checked_by) == (
                old["unit"].pk,
                old["city"].pk,
                old["leader"].pk,
                "office",
            )
        still = handovers[old["open"].pk]
        assert (still.state, still.due_on, still.handed_on) == (
            "handed",
            dt.date(2025, 4, 30),
            dt.date(2025, 3, 12),  # written down with no history: the visit's day
        )
        closed = handovers[old["closed"].pk]
        assert (closed.state, closed.closure, closed.closed_on, closed.answer) == (
            "closed",
            "verified",
            dt.date(2025, 4, 2),
            "已纳入2025年预算",
        )
        steps = [
            (s.action, s.at.astimezone(SHANGHAI).date(), s.by_id, s.text)
            for s in closed.steps.order_by("at", "pk")
        ]
        assert steps == [
            ("handed", dt.date(2025, 3, 12), None, ""),
            ("answered", dt.date(2025, 4, 2), old["contact"].pk, "已纳入2025年预算"),
            ("verified", dt.date(2025, 4, 2), None, ""),
        ]
        answer = closed.steps.get(action="answered")
        assert [(f.name, f.file.name, f.size) for f in answer.files.all()] == [
            ("预算批复.pdf", "tasks/evidence/2025/04/abc.pdf", 1234)
        ]
        # The items themselves are as they were: the open one open, the closed one closed.
        assert list(Item.objects.order_by("pk").values_list("closed_on", flat=True)) == [
            None,
            dt.date(2025, 4, 2),
        ]

        migrate(BEFORE)
        from handovers.models import Handover as Current

        assert not Current.objects.exists()
    finally:
        migrate(None)
