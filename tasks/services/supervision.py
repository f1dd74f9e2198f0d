"""Leaders' supervision visits (督责) and the follow-up items they leave with units, each
handed to its unit through ``handovers`` (kind "follow_up")."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from handovers.models import Handover, Step
from handovers.services import HandoverError, handover_create
from organisation.models import Region, Unit, User
from organisation.roles import Role
from tasks.models import FollowUpItem, SupervisionVisit, Task
from tasks.services import TasksError


@transaction.atomic
def supervision_visit_record(
    *,
    leader: User,
    visited_on: datetime.date,
    places: str,
    tasks: Iterable[Task],
    findings: str = "",
    by: User,
) -> SupervisionVisit:
    if leader.role != Role.LEADER:
        raise TasksError(_("A supervision visit is led by a committee leader."), field="leader")
    visit = SupervisionVisit.objects.create(
        leader=leader, visited_on=visited_on, places=places, findings=findings, recorded_by=by
    )
    visit.tasks.set(list(tasks))
    return visit


#: The handover kind of a follow-up item (registered in apps.py).
FOLLOW_UP = "follow_up"


def city_of(unit: Unit) -> Region:
    """The region whose office keeps the city's follow-up items: the root of the unit's
    region (the city), or the city itself for a unit without one."""
    city = None
    if unit.region is not None:
        root = unit.region.path.strip("/").split("/")[0]
        city = Region.objects.filter(code=root).first()
    city = city or Region.objects.filter(level=Region.Level.CITY).order_by("path").first()
    if city is None:
        raise TasksError(_("The city is not set up among the regions yet."), field="unit")
    return city


@transaction.atomic
def follow_up_add(
    *,
    visit: SupervisionVisit,
    unit: Unit,
    description: str,
    due_date: datetime.date,
    task: Task | None = None,
    by: User | None = None,
) -> FollowUpItem:
    """A finding of the visit, handed to ``unit`` (a handover 交办, in this transaction):
    the unit answers it with evidence on the handover's page, the office's staff verify
    the answer, and only that closes the item. Red escalates to the visit's leader."""
    if due_date < visit.visited_on:
        raise TasksError(_("The due date cannot be before the visit."), field="due_date")
    item = FollowUpItem.objects.create(
        visit=visit, task=task, unit=unit, description=description, due_date=due_date
    )
    today = timezone.localdate()
    try:
        handover_create(
            kind=FOLLOW_UP,
            subject=item,
            title=Truncator(" ".join(description.split())).chars(120),
            region=city_of(unit),
            unit=unit,
            by=by,
            due_on=due_date,
            leader=visit.leader,
            # A finding written down after its due date was handed at the visit.
            handed_on=today if due_date >= today else visit.visited_on,
        )
    except HandoverError as error:
        raise TasksError(
            str(error), field={"due_on": "due_date"}.get(error.field or "", error.field)
        ) from error
    return item


def follow_up_handover(item: FollowUpItem) -> Handover | None:
    """The handover that carries the item to its unit."""
    return (
        Handover.objects.filter(
            kind=FOLLOW_UP,
            subject_type=ContentType.objects.get_for_model(FollowUpItem),
            subject_id=item.pk,
        )
        .order_by("-pk")
        .first()
    )


def follow_up_changed(handover: Handover, action: str) -> None:
    """``HandoverKind.on_change`` of a follow-up item: closed the day the office verified
    the unit's answer, the answer as how it was resolved, the verifier as who closed it.
    Nothing else closes it."""
    if handover.state != Handover.State.CLOSED or handover.closure != Handover.Closure.VERIFIED:
        return
    step = handover.steps.filter(action=Step.Action.VERIFIED).order_by("-at", "-pk").first()
    updated = FollowUpItem.objects.filter(pk=handover.subject_id, closed_on__isnull=True).update(
        closed_on=handover.closed_on,
        closing_note=handover.answer,
        closed_by=step.by if step is not None else None,
    )
    if updated:
        item = FollowUpItem.objects.get(pk=handover.subject_id)
        item._history_user = step.by if step is not None else None  # type: ignore[attr-defined]
        item.save()  # a history entry (``update()`` skips the signals)


def follow_up_url(handover: Handover) -> str:
    """``HandoverKind.subject_url`` of a follow-up item: its row on the supervision work
    list (the office's and the unit's)."""
    return reverse("tasks:supervision", fragment=f"item-{handover.subject_id}")
