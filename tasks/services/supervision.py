"""Leaders' supervision visits (督责) and the follow-up items they leave with units."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import Unit, User
from organisation.roles import Role
from tasks.evidence import evidence_attach
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


def follow_up_add(
    *,
    visit: SupervisionVisit,
    unit: Unit,
    description: str,
    due_date: datetime.date,
    task: Task | None = None,
) -> FollowUpItem:
    if due_date < visit.visited_on:
        raise TasksError(_("The due date cannot be before the visit."), field="due_date")
    return FollowUpItem.objects.create(
        visit=visit, task=task, unit=unit, description=description, due_date=due_date
    )


@transaction.atomic
def follow_up_close(
    *,
    item: FollowUpItem,
    note: str,
    by: User,
    files: Sequence[UploadedFile] = (),
    closed_on: datetime.date | None = None,
) -> FollowUpItem:
    """Close a follow-up item; it needs a note and at least one evidence file."""
    if item.closed_on:
        raise TasksError(_("This item is already closed."))
    if not files:
        raise TasksError(
            _("Attach at least one file showing how the item was resolved."), field="files"
        )
    if item.task is None:
        raise TasksError(_("This item is not linked to a task; link it before closing."))
    evidence_attach(task=item.task, files=files, by=by, follow_up=item)
    updated = FollowUpItem.objects.filter(pk=item.pk, closed_on__isnull=True).update(
        closed_on=closed_on or timezone.localdate(), closing_note=note, closed_by=by
    )
    if not updated:
        raise TasksError(_("This item is already closed."))
    item.refresh_from_db()
    item.save()  # a history entry (``update()`` skips the signals)
    return item
