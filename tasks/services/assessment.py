"""Quarterly assessment (考责): staff score each task, a leader confirms the quarter."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import User
from organisation.roles import Role
from tasks.models import Assessment, Task, TaskList
from tasks.services import TasksConflict, TasksError


@transaction.atomic
def assessment_record(
    *,
    task: Task,
    year: int,
    quarter: int,
    completion: int,
    timeliness: int,
    quality: int,
    evidence_score: int,
    by: User,
    version: int = 0,
    comment: str = "",
) -> Assessment:
    """Score a task for a quarter against ``version`` of its scores (0: none were given).

    The row is locked while it is checked and written, so a scoring racing another one
    or a leader's confirmation waits for it and then sees what it did: scores changed
    meanwhile are not overwritten, and confirmed scores never change (the confirmation
    is never written back as empty).
    """
    parts = (completion, timeliness, quality, evidence_score)
    if not all(0 <= p <= Assessment.PART_MAX for p in parts):
        raise TasksError(_("Each part of the rubric is scored from 0 to 25."))
    if quarter not in (1, 2, 3, 4):
        raise TasksError(_("The quarter is 1, 2, 3 or 4."))
    existing = (
        Assessment.objects.select_for_update().filter(task=task, year=year, quarter=quarter).first()
    )
    if existing and existing.confirmed_at:
        raise TasksError(_("These scores were confirmed by a leader and can no longer change."))
    if (existing.version if existing else 0) != version:
        raise TasksConflict(_scores_changed())
    assessment = existing or Assessment(task=task, year=year, quarter=quarter)
    assessment.unit_id = task.lead_unit_id
    assessment.completion = completion
    assessment.timeliness = timeliness
    assessment.quality = quality
    assessment.evidence_score = evidence_score
    assessment.total = sum(parts)
    assessment.comment = comment
    assessment.assessed_by = by
    if existing is None:
        try:
            # Two first scorings at once: both find no row; the unique constraint stops one.
            with transaction.atomic():
                assessment.save()
        except IntegrityError as error:
            raise TasksConflict(_scores_changed()) from error
        return assessment
    assessment.version = existing.version + 1
    # The confirmation fields are left out: only assessments_confirm writes them.
    assessment.save(
        update_fields=[
            "unit",
            "completion",
            "timeliness",
            "quality",
            "evidence_score",
            "total",
            "comment",
            "assessed_by",
            "version",
        ]
    )
    return assessment


def _scores_changed() -> str:
    return _(
        "Someone else scored this task while you were scoring it. Your scores were not "
        "saved: reload the page to see theirs, then score again."
    )


@transaction.atomic
def assessments_confirm(*, task_list: TaskList, year: int, quarter: int, by: User) -> int:
    """A leader confirms a quarter's scores of a list; returns how many were confirmed."""
    if by.role != Role.LEADER and not by.is_superuser:
        raise TasksError(_("Only a committee leader confirms assessments."))
    pending = Assessment.objects.filter(
        task__task_list=task_list, year=year, quarter=quarter, confirmed_at__isnull=True
    )
    count = 0
    for assessment in pending.select_for_update():
        assessment.confirmed_by = by
        assessment.confirmed_at = timezone.now()
        assessment.save(update_fields=["confirmed_by", "confirmed_at"])
        count += 1
    if not count:
        raise TasksError(_("There are no unconfirmed scores for this quarter."))
    return count
