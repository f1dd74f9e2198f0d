"""办 Implement: a chosen proposal becomes a :class:`~livelihood.models.Project` with a
responsible unit and a budget; the paying region's office allocates money to it from a fund
pool; the unit contact adds milestones and reports progress (text, photos, money spent) and
finally the completion record.

Money is held by the database, not by Python: a pool's ``allocated`` grows in one
conditional UPDATE (``allocated + x <= amount``) guarded by a CHECK constraint, so two
allocations made at the same moment never together exceed what is left — the second one
waits for the first's row lock, then finds too little and is refused. A project's ``spent``
grows the same way and never exceeds what was allocated to it (nor goes below zero).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress_portal.edits import record_history, versioned_update
from congress_portal.uploads import PHOTO_SUFFIXES, upload_check
from livelihood.models import (
    Allocation,
    FundPool,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Project,
)
from livelihood.services import MAX_COST, LivelihoodError, may_keep, projects_open  # noqa: F401
from organisation.congresses import level_of
from organisation.models import Unit, User
from organisation.roles import Role

MAX_PHOTOS = 6
#: Amounts have two decimals, so ``a <= b + HALF_CENT`` is ``a <= b`` — and stays so on
#: SQLite (development), which computes ``b - x`` in floating point.
HALF_CENT = Decimal("0.005")


def _amount(value, *, field: str, message: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise LivelihoodError(message, field=field) from error
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise LivelihoodError(message, field=field)
    return amount


# --- Who ------------------------------------------------------------------------------------


def may_keep_project(user: User, project: Project) -> bool:
    """The office of the congress that chose it."""
    return may_keep(user, project.proposal.level, project.proposal.region)


def may_report(user: User, project: Project) -> bool:
    """The responsible unit's contact, or the office."""
    if user.role == Role.UNIT and user.unit_id and user.unit_id == project.unit_id:
        return True
    return may_keep_project(user, project)


def may_allocate(user: User, pool: FundPool) -> bool:
    """The office of the region that pays for the pool."""
    return may_keep(user, level_of(pool.funded_by), pool.funded_by)


def _require_report(by: User, project: Project) -> None:
    if not may_report(by, project):
        raise LivelihoodError(
            _("Only the responsible unit or the congress office works on this project."),
            field="project",
        )


def _require_open(project: Project) -> None:
    if project.state == Project.State.COMPLETED:
        raise LivelihoodError(_("This project is completed."), field="project")


# --- The project ----------------------------------------------------------------------------


@transaction.atomic
def project_set(*, project: Project, by: User, version: int, unit: Unit | None, budget) -> Project:
    """The office names the responsible unit and the budget."""
    if not may_keep_project(by, project):
        raise LivelihoodError(
            _("Only the office of the congress that chose it sets the project."), field="unit"
        )
    if unit is None:
        raise LivelihoodError(_("Choose the responsible unit."), field="unit")
    budget = _amount(budget, field="budget", message=_("Give the budget in 10,000 yuan."))
    if not 0 < budget <= MAX_COST:
        raise LivelihoodError(_("Give the budget in 10,000 yuan."), field="budget")
    project = versioned_update(
        project,
        version=version,
        values={"unit": unit, "budget": budget},
        error=LivelihoodError,
    )
    record_history(project, by=by, reason=_("Unit and budget set"))
    return project


# --- Money ----------------------------------------------------------------------------------


def pools_for(project: Project):
    """The pools that may pay for ``project``: its year's and congress's, of its region or
    one around it."""
    proposal = project.proposal
    return FundPool.objects.covering(
        year=proposal.year, level=proposal.level, region=proposal.region
    ).select_related("region", "funded_by")


@transaction.atomic
def allocation_make(
    *, pool: FundPool, project: Project, amount, by: User, on: dt.date | None = None
) -> Allocation:
    """Put ``amount`` of ``pool`` on ``project``. The pool row is grown by one conditional
    UPDATE: when too little is left (also because another allocation took it a moment
    ago) nothing is written and the step is refused."""
    if not may_allocate(by, pool):
        raise LivelihoodError(
            _("Only the office of the region paying for the pool allocates from it."),
            field="pool",
        )
    if not pools_for(project).filter(pk=pool.pk).exists():
        raise LivelihoodError(_("This pool does not pay for this project."), field="pool")
    _require_open(project)
    message = _("Give the amount in 10,000 yuan, more than zero.")
    amount = _amount(amount, field="amount", message=message)
    if not 0 < amount <= MAX_COST:
        raise LivelihoodError(message, field="amount")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise LivelihoodError(_("An allocation cannot be dated in the future."), field="on")
    grown = FundPool.objects.filter(
        pk=pool.pk, allocated__lte=F("amount") - amount + HALF_CENT
    ).update(allocated=F("allocated") + amount, version=F("version") + 1)
    if not grown:
        pool.refresh_from_db()
        raise LivelihoodError(
            _("The pool has only %(left)s (10,000 yuan) left.") % {"left": pool.unallocated},
            field="amount",
        )
    Project.objects.filter(pk=project.pk).update(
        allocated=F("allocated") + amount, version=F("version") + 1
    )
    allocation = Allocation.objects.create(pool=pool, project=project, amount=amount, by=by, on=on)
    pool.refresh_from_db()
    project.refresh_from_db()
    record_history(pool, by=by, reason=_("Allocated to %(project)s") % {"project": project})
    return allocation


# --- Milestones -----------------------------------------------------------------------------


@transaction.atomic
def milestone_add(*, project: Project, by: User, title: str, due: dt.date | None) -> Milestone:
    _require_report(by, project)
    _require_open(project)
    if not title.strip():
        raise LivelihoodError(_("Name the milestone."), field="title")
    if due is None:
        raise LivelihoodError(_("Give the day the milestone is due."), field="due")
    return Milestone.objects.create(project=project, title=title.strip()[:80], due=due)


@transaction.atomic
def milestone_done(*, milestone: Milestone, by: User, on: dt.date | None = None) -> Milestone:
    _require_report(by, milestone.project)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise LivelihoodError(_("A milestone cannot be done in the future."), field="done_on")
    Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(done_on=on)
    milestone.refresh_from_db()
    return milestone


# --- Progress -------------------------------------------------------------------------------


def _photo_check(photos: Sequence[UploadedFile]) -> list[str]:
    if len(photos) > MAX_PHOTOS:
        raise LivelihoodError(
            _("At most %(n)s photos a report.") % {"n": MAX_PHOTOS}, field="photos"
        )
    names = []
    for photo in photos:
        try:
            _type, name, _size = upload_check(
                photo,
                suffixes=PHOTO_SUFFIXES,
                refused=_("%(name)s: only JPEG and PNG photos are accepted."),
            )
        except ValueError as error:
            raise LivelihoodError(str(error), field="photos") from error
        names.append(name)
    return names


@transaction.atomic
def progress_report(
    *,
    project: Project,
    by: User,
    text: str,
    spent=0,
    photos: Sequence[UploadedFile] = (),
    completes: bool = False,
    on: dt.date | None = None,
    version: int | None = None,
) -> ProgressReport:
    """The unit reports: what was done, what was spent since the last report (the total
    spent never exceeds what was allocated), photos. The first report starts the project;
    a report that ``completes`` it is its completion record."""
    _require_report(by, project)
    _require_open(project)
    text = text.strip()
    if not text:
        raise LivelihoodError(_("Say what was done."), field="text")
    spent = _amount(
        spent or 0, field="spent", message=_("Give the amount spent in 10,000 yuan, zero or more.")
    )
    if spent < 0 or spent > MAX_COST:
        raise LivelihoodError(
            _("Give the amount spent in 10,000 yuan, zero or more."), field="spent"
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise LivelihoodError(_("A report cannot be dated in the future."), field="on")
    names = _photo_check(photos)
    if completes and not photos and not project.reports.filter(photos__isnull=False).exists():
        raise LivelihoodError(
            _("Add at least one photo of the finished work to complete the project."),
            field="photos",
        )
    query = Project.objects.filter(pk=project.pk, spent__lte=F("allocated") - spent + HALF_CENT)
    query = query.exclude(state=Project.State.COMPLETED)
    if version is not None:
        query = query.filter(version=version)
    values: dict = {"spent": F("spent") + spent, "version": F("version") + 1}
    if project.state == Project.State.PLANNED:
        values.update(state=Project.State.UNDER_WAY, started_on=on)
    if completes:
        values.update(state=Project.State.COMPLETED, completed_on=on, completion_note=text)
        if project.started_on is None:
            values["started_on"] = on
    try:
        with transaction.atomic():
            moved = query.update(**values)
    except IntegrityError as error:  # pragma: no cover - the filter above already refuses
        raise LivelihoodError(_("The amount spent is not possible."), field="spent") from error
    if not moved:
        project.refresh_from_db()
        if version is not None and project.version != version:
            raise LivelihoodError(
                _(
                    "Someone else changed this project while you were reporting. Reload and try again."
                ),
                field="project",
                conflict=True,
            )
        _require_open(project)
        raise LivelihoodError(
            _(
                "Only %(left)s (10,000 yuan) of the allocation is left to spend; ask the "
                "office for an allocation first."
            )
            % {"left": project.allocated - project.spent},
            field="spent",
        )
    report = ProgressReport.objects.create(
        project=project, text=text, spent=spent, completes=completes, by=by, on=on
    )
    for photo, name in zip(photos, names, strict=True):
        ProgressPhoto.objects.create(report=report, image=photo, name=name)
    project.refresh_from_db()
    record_history(
        project,
        by=by,
        reason=pgettext("project", "Completed") if completes else _("Progress reported"),
    )
    return report
