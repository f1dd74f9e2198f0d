"""Writing handovers that happened before the mechanism existed, in bulk: the demo's
year of station referrals and supervision follow-ups. Each row becomes one handover
with the steps it went through (handed; answered; verified and closed), on the days
they happened, without notices (nobody is told about last year) and without the
kind's hook (the module writes its own record alongside).

The data migrations that moved existing referrals and follow-up items onto handovers
do the same with the historical models, in their own frozen copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from handovers.kinds import kind_named
from handovers.models import Handover, Step


@dataclass
class PastHandover:
    kind: str
    subject_model: type[models.Model]
    subject_id: int
    title: str
    region_id: int
    unit_id: int
    handed_on: dt.date
    due_on: dt.date
    handed_by_id: int | None = None
    leader_id: int | None = None
    answer: str = ""
    answered_on: dt.date | None = None
    answered_by_id: int | None = None
    #: Verified and closed by the office that day.
    closed_on: dt.date | None = None
    closed_by_id: int | None = None
    closing_text: str = ""


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def handovers_write_past(rows: Sequence[PastHandover], *, batch_size: int = 2000) -> list[Handover]:
    """The handovers of ``rows`` with their steps, in a few bulk inserts."""
    handovers = []
    for row in rows:
        due_on = max(row.due_on, row.handed_on)
        answered_on = row.answered_on or row.closed_on
        if row.closed_on is not None:
            state = Handover.State.CLOSED
        elif answered_on is not None:
            state = Handover.State.ANSWERED
        else:
            state = Handover.State.HANDED
        handovers.append(
            Handover(
                kind=row.kind,
                subject_type=ContentType.objects.get_for_model(row.subject_model),
                subject_id=row.subject_id,
                title=row.title[:200],
                region_id=row.region_id,
                unit_id=row.unit_id,
                checked_by=kind_named(row.kind).checked_by,
                leader_id=row.leader_id,
                handed_on=row.handed_on,
                handed_by_id=row.handed_by_id,
                first_due_on=due_on,
                due_on=due_on,
                state=state,
                answer=row.answer,
                answered_on=answered_on,
                closed_on=row.closed_on,
                closure=Handover.Closure.VERIFIED if row.closed_on else "",
            )
        )
    Handover.objects.bulk_create(handovers, batch_size=batch_size)
    steps = []
    for row, handover in zip(rows, handovers, strict=True):
        steps.append(
            Step(
                handover=handover,
                action=Step.Action.HANDED,
                at=_at(handover.handed_on, 9),
                by_id=row.handed_by_id,
                unit_id=row.unit_id,
                due_on=handover.due_on,
            )
        )
        if handover.answered_on is not None:
            steps.append(
                Step(
                    handover=handover,
                    action=Step.Action.ANSWERED,
                    at=_at(handover.answered_on, 11),
                    by_id=row.answered_by_id,
                    unit_id=row.unit_id,
                    text=row.answer,
                )
            )
        if handover.closed_on is not None:
            steps.append(
                Step(
                    handover=handover,
                    action=Step.Action.VERIFIED,
                    at=_at(handover.closed_on, 15),
                    by_id=row.closed_by_id,
                    unit_id=row.unit_id,
                    text=row.closing_text,
                )
            )
    Step.objects.bulk_create(steps, batch_size=batch_size * 3)
    return handovers
