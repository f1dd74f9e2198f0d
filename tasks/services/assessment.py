"""Quarterly assessment (考责): staff score each task, a leader confirms the quarter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    comment: str | None = None,
) -> Assessment:
    """Score a task for a quarter against ``version`` of its scores (0: none were given).
    ``comment`` None keeps the comment the scores have; scores saved again as they are
    change nothing (no new version).

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
    if existing and (
        tuple(getattr(existing, part) for part in Assessment.RUBRIC) == parts
        and comment in (None, existing.comment)
    ):
        return existing
    assessment = existing or Assessment(task=task, year=year, quarter=quarter)
    assessment.unit_id = task.lead_unit_id
    assessment.completion = completion
    assessment.timeliness = timeliness
    assessment.quality = quality
    assessment.evidence_score = evidence_score
    assessment.total = sum(parts)
    if comment is not None:
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


@dataclass(frozen=True)
class ScoreRow:
    """One task's row of the quarter's grid: the four parts and the version of the
    scores the page showed (0: none yet)."""

    task: Task
    completion: int
    timeliness: int
    quality: int
    evidence_score: int
    version: int = 0


class AssessmentGridError(TasksError):
    """Some rows of the grid broke a rule; nothing was saved. ``rows`` maps each such
    task's id to its message, to show beside its row."""

    def __init__(self, rows: dict[int, str], *, conflict: bool):
        super().__init__(
            _("Nothing was saved: correct the rows marked below and save again."),
            conflict=conflict,
        )
        self.rows = rows


@transaction.atomic
def assessments_record(
    *, rows: Sequence[ScoreRow], year: int, quarter: int, by: User
) -> list[Assessment]:
    """Score a quarter's tasks in one save: every row, or none (:class:`AssessmentGridError`
    names each row that broke a rule). Each row goes through :func:`assessment_record`,
    so the rubric, the version check and the confirmation lock are the same as for one
    task; a row saved as it was changes nothing."""
    saved: list[Assessment] = []
    refused: dict[int, str] = {}
    conflict = False
    for row in rows:
        try:
            with transaction.atomic():  # a refused row's savepoint; the others carry on
                saved.append(
                    assessment_record(
                        task=row.task,
                        year=year,
                        quarter=quarter,
                        completion=row.completion,
                        timeliness=row.timeliness,
                        quality=row.quality,
                        evidence_score=row.evidence_score,
                        version=row.version,
                        by=by,
                    )
                )
        except TasksError as error:
            refused[row.task.pk] = error.message
            conflict = conflict or error.conflict
    if refused:
        raise AssessmentGridError(
            refused, conflict=conflict
        )  # leaving the transaction undoes the saved rows
    return saved


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
