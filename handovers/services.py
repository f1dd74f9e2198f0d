"""Every write to a handover: the state machine, once.

Each step locks the handover's row (``SELECT … FOR UPDATE``), checks the state it is
in, the person and, where a form sent one, the version it was opened with; then it
writes the row, one :class:`~handovers.models.Step`, tells the people concerned, and
lets the kind's module keep its own record in step (``HandoverKind.on_change``), all in
one transaction. A refused step raises :class:`HandoverError` naming its field; a double
submit finds the state moved on and is refused, so nothing is written twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congress_portal.errors import DomainError
from congress_portal.uploads import KNOWN_TYPES, upload_check
from handovers.kinds import CheckedBy, HandoverKind, kind_named
from handovers.models import Assist, Handover, HandoverFile, Step
from notifications.models import Kind as NoticeKind
from notifications.services import notifications_send
from notifications.sweeps import long_date
from organisation.access import has_role
from organisation.models import Region, Unit, User
from organisation.roles import Role


class HandoverError(DomainError):
    """A step of a handover was refused; the message is safe to show."""


class HandoverConflict(HandoverError):
    conflict = True


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Who -------------------------------------------------------------------------------------


def may_keep(user: User, handover: Handover) -> bool:
    """The office that keeps the handover: staff (and administrators) for every one, a
    secretary for those of their region."""
    if not user.is_authenticated:
        return False
    if has_role(user, Role.STAFF):
        return True
    return (
        user.role == Role.SECRETARY
        and user.region is not None
        and handover.region.path.startswith(user.region.path)
    )


def is_main_unit(user: User, handover: Handover) -> bool:
    return user.is_authenticated and user.role == Role.UNIT and user.unit_id == handover.unit_id


def keepers_of(region: Region) -> QuerySet[User]:
    """Who is told of what the office must check: the secretaries of a county or
    township; the staff for the city's work (and where a region has no secretary)."""
    users = get_user_model().objects.filter(is_active=True)
    if region.level != Region.Level.CITY:
        secretaries = users.filter(role=Role.SECRETARY, region=region)
        if secretaries.exists():
            return secretaries
    return users.filter(role=Role.STAFF)


def contacts_of(*units: Unit | int) -> QuerySet[User]:
    ids = [unit if isinstance(unit, int) else unit.pk for unit in units]
    return get_user_model().objects.filter(is_active=True, role=Role.UNIT, unit__in=ids)


# --- The steps -------------------------------------------------------------------------------


def _locked(handover: Handover, version: int | None) -> Handover:
    locked = (
        Handover.objects.select_for_update().select_related("region", "unit").get(pk=handover.pk)
    )
    if version is not None and locked.version != version:
        raise HandoverConflict(
            _("Someone else acted on this item while you had it open. Look at it again.")
        )
    return locked


def _day(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _step(
    handover: Handover,
    action: str,
    *,
    by: User | None,
    on: dt.date | None = None,
    unit: Unit | None = None,
    **values,
) -> Step:
    at = timezone.now()
    if on is not None and on != timezone.localdate():
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    return Step.objects.create(
        handover=handover,
        action=action,
        round=handover.round,
        at=at,
        by=by if by is not None and by.is_authenticated else None,
        unit=unit,
        **values,
    )


def _save(handover: Handover, kind: HandoverKind, action: str, by: User | None) -> None:
    handover.version += 1
    handover._change_reason = action  # type: ignore[attr-defined]  # read by simple-history
    handover.save()
    kind.changed(handover, action)


def _tell(
    users: QuerySet[User], handover: Handover, step: Step, title: str, body: str = ""
) -> None:
    notifications_send(
        users=users,
        kind=NoticeKind.HANDOVER,
        title=title,
        body=body,
        url=handover.get_absolute_url(),
        key=f"handover:{handover.pk}:{step.pk}",
    )


def _files(step: Step, files: Sequence[UploadedFile]) -> None:
    checked = []
    for upload in files:
        try:
            checked.append(
                upload_check(
                    upload,
                    suffixes=KNOWN_TYPES,
                    refused=_(
                        "%(name)s: only PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx) files "
                        "are accepted."
                    ),
                )
            )
        except ValueError as error:
            raise HandoverError(str(error), field="files") from error
    for upload, (content_type, name, size) in zip(files, checked, strict=True):
        HandoverFile.objects.create(
            step=step, file=upload, name=name, content_type=content_type, size=size
        )


@transaction.atomic
def handover_create(
    *,
    kind: str,
    subject: models.Model,
    title: str,
    region: Region,
    unit: Unit,
    by: User | None,
    due_on: dt.date | None = None,
    helping_units: Sequence[Unit] = (),
    rater: User | None = None,
    leader: User | None = None,
    handed_on: dt.date | None = None,
) -> Handover:
    """交办: hand ``subject`` to ``unit`` (and ``helping_units``) with a deadline (the kind's
    default months after the handover when none is given)."""
    rules = kind_named(kind)
    handed_on = handed_on or timezone.localdate()
    due_on = due_on or add_months(handed_on, rules.default_months)
    if due_on < handed_on:
        raise HandoverError(_("The deadline cannot be before the handover."), field="due_on")
    if rules.max_months is not None and due_on > add_months(handed_on, rules.max_months):
        raise HandoverError(
            _("The deadline can be at most %(months)s months after the handover.")
            % {"months": rules.max_months},
            field="due_on",
        )
    if not unit.is_active:
        raise HandoverError(_("This unit is no longer active."), field="unit")
    helpers = [helper for helper in dict.fromkeys(helping_units) if helper.pk != unit.pk]
    if len(helpers) != len(helping_units):
        raise HandoverError(
            _("The main unit cannot also be a helping unit."), field="helping_units"
        )
    if rules.checked_by == CheckedBy.RATING and rater is None:
        raise HandoverError(_("Say who rates the answer."), field="rater")
    handover = Handover.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        title=title[:200],
        region=region,
        unit=unit,
        checked_by=rules.checked_by,
        rater=rater,
        leader=leader,
        handed_on=handed_on,
        handed_by=by if by is not None and by.is_authenticated else None,
        first_due_on=due_on,
        due_on=due_on,
    )
    assist_due = add_months(handed_on, 1)
    Assist.objects.bulk_create(
        [Assist(handover=handover, unit=helper, due_on=assist_due) for helper in helpers]
    )
    step = _step(handover, Step.Action.HANDED, by=by, on=handed_on, unit=unit, due_on=due_on)
    rules.changed(handover, Step.Action.HANDED)
    _tell(
        contacts_of(unit),
        handover,
        step,
        _("Handed to your unit: %(title)s") % {"title": handover.title},
        _("%(kind)s · answer due %(due)s") % {"kind": rules.label, "due": long_date(due_on)},
    )
    if helpers:
        _tell(
            contacts_of(*helpers),
            handover,
            step,
            _("Your unit helps with: %(title)s") % {"title": handover.title},
            _("Send your opinion to %(unit)s by %(due)s")
            % {"unit": unit, "due": long_date(assist_due)},
        )
    return handover


@transaction.atomic
def handover_assist(
    *,
    handover: Handover,
    by: User,
    opinion: str,
    files: Sequence[UploadedFile] = (),
    on: dt.date | None = None,
) -> Assist:
    """A helping unit sends its opinion to the main unit (once; it may send it again
    to replace it while the main unit has not answered)."""
    handover = _locked(handover, None)
    assist = Assist.objects.filter(handover=handover, unit=by.unit_id).first()
    if by.role != Role.UNIT or assist is None:
        raise HandoverError(_("Only a helping unit sends an opinion."), forbidden=True)
    if not handover.is_with_unit:
        raise HandoverError(_("The main unit has already answered."))
    if not opinion.strip():
        raise HandoverError(_("Write your unit's opinion."), field="opinion")
    assist.opinion = opinion.strip()
    assist.sent_on = _day(on)
    assist.sent_by = by
    assist.save()
    step = _step(
        handover, Step.Action.ASSISTED, by=by, on=on, unit=assist.unit, text=assist.opinion
    )
    _files(step, files)
    _save(handover, kind_named(handover.kind), Step.Action.ASSISTED, by)
    _tell(
        contacts_of(handover.unit_id),
        handover,
        step,
        _("%(unit)s sent its opinion on: %(title)s")
        % {"unit": assist.unit, "title": handover.title},
    )
    return assist


@transaction.atomic
def handover_answer(
    *,
    handover: Handover,
    by: User,
    text: str,
    answer_class: str = "",
    files: Sequence[UploadedFile] = (),
    version: int | None = None,
    on: dt.date | None = None,
) -> Handover:
    """办理: the main unit answers (in round 2, the final answer)."""
    handover = _locked(handover, version)
    rules = kind_named(handover.kind)
    if not is_main_unit(by, handover):
        raise HandoverError(_("Only the main unit answers."), forbidden=True)
    if not handover.is_with_unit:
        raise HandoverError(_("This item has already been answered."))
    if not text.strip():
        raise HandoverError(_("Write the answer."), field="text")
    if rules.answer_classes and answer_class not in Handover.AnswerClass.values:
        raise HandoverError(_("Choose the result class A, B or C."), field="answer_class")
    if rules.answer_needs_files and not files:
        raise HandoverError(
            _("Attach at least one file showing how it was resolved."), field="files"
        )
    handover.answer = text.strip()
    handover.answer_class = answer_class if rules.answer_classes else ""
    handover.answered_on = _day(on)
    handover.state = Handover.State.ANSWERED
    step = _step(
        handover,
        Step.Action.ANSWERED,
        by=by,
        on=on,
        unit=handover.unit,
        text=handover.answer,
        answer_class=handover.answer_class,
    )
    _files(step, files)
    _save(handover, rules, Step.Action.ANSWERED, by)
    if handover.checked_by == CheckedBy.RATING and handover.rater is not None:
        to = get_user_model().objects.filter(pk=handover.rater.pk, is_active=True)
        title = _("Answered, please rate it: %(title)s")
    else:
        to = keepers_of(handover.region)
        title = _("Answered, please verify it: %(title)s")
    _tell(to, handover, step, title % {"title": handover.title}, str(handover.unit))
    return handover


def _send_back(
    handover: Handover, rules: HandoverKind, by: User, reason: str, on: dt.date | None
) -> Step:
    handover.round = 2
    handover.state = Handover.State.RETURNED
    handover.due_on = add_months(_day(on), rules.rehandling_months)
    step = _step(
        handover,
        Step.Action.RETURNED,
        by=by,
        on=on,
        unit=handover.unit,
        text=reason,
        due_on=handover.due_on,
    )
    _tell(
        contacts_of(handover.unit_id),
        handover,
        step,
        _("Sent back for re-handling: %(title)s") % {"title": handover.title},
        _("Answer again by %(due)s. %(reason)s")
        % {"due": long_date(handover.due_on), "reason": reason},
    )
    return step


def _close(handover: Handover, closure: str, on: dt.date | None) -> None:
    handover.state = Handover.State.CLOSED
    handover.closure = closure
    handover.closed_on = _day(on)


@transaction.atomic
def handover_verify(
    *,
    handover: Handover,
    by: User,
    accept: bool,
    reason: str = "",
    version: int | None = None,
    on: dt.date | None = None,
) -> Handover:
    """The office checks the answer: accepted closes it; refused sends it back once."""
    handover = _locked(handover, version)
    rules = kind_named(handover.kind)
    if handover.checked_by != CheckedBy.OFFICE:
        raise HandoverError(_("This answer is rated by the person it concerns."))
    if not may_keep(by, handover):
        raise HandoverError(_("Only the office verifies answers."), forbidden=True)
    if handover.state != Handover.State.ANSWERED:
        raise HandoverError(_("There is no answer waiting to be verified."))
    if accept:
        _close(handover, Handover.Closure.VERIFIED, on)
        step = _step(handover, Step.Action.VERIFIED, by=by, on=on, unit=handover.unit, text=reason)
        _save(handover, rules, Step.Action.VERIFIED, by)
        _tell(
            contacts_of(handover.unit_id),
            handover,
            step,
            _("Verified and closed: %(title)s") % {"title": handover.title},
        )
        return handover
    if not reason.strip():
        raise HandoverError(_("Say why the answer is not accepted."), field="reason")
    if handover.is_final_round:
        raise HandoverError(
            _("It has already been re-handled once: the second answer is final."),
            field="accept",
        )
    _step(handover, Step.Action.REFUSED, by=by, on=on, unit=handover.unit, text=reason.strip())
    _send_back(handover, rules, by, reason.strip(), on)
    _save(handover, rules, Step.Action.RETURNED, by)
    return handover


@transaction.atomic
def handover_rate(
    *,
    handover: Handover,
    by: User,
    rating: str,
    comment: str = "",
    version: int | None = None,
    on: dt.date | None = None,
) -> Handover:
    """评办: the person it concerns rates the answer. 满意 and 基本满意 close it; 不满意
    sends it back for its one re-handling, or, after the final answer, closes it rated."""
    handover = _locked(handover, version)
    rules = kind_named(handover.kind)
    if handover.checked_by != CheckedBy.RATING:
        raise HandoverError(_("This answer is verified by the office."))
    if handover.rater_id != by.pk:
        raise HandoverError(_("Only the person it concerns rates the answer."), forbidden=True)
    if handover.state != Handover.State.ANSWERED:
        raise HandoverError(_("There is no answer waiting to be rated."))
    if rating not in Handover.Rating.values:
        raise HandoverError(_("Choose a rating."), field="rating")
    handover.rating = rating
    step = _step(
        handover,
        Step.Action.RATED,
        by=by,
        on=on,
        unit=handover.unit,
        rating=rating,
        text=comment.strip(),
    )
    if rating == Handover.Rating.UNSATISFIED and not handover.is_final_round:
        _send_back(handover, rules, by, comment.strip(), on)
        _save(handover, rules, Step.Action.RETURNED, by)
        return handover
    _close(handover, Handover.Closure.RATED, on)
    _save(handover, rules, Step.Action.RATED, by)
    _tell(
        contacts_of(handover.unit_id) | keepers_of(handover.region),
        handover,
        step,
        _("Rated %(rating)s and closed: %(title)s")
        % {"rating": handover.get_rating_display(), "title": handover.title},
    )
    return handover


def rating_overdue(handover: Handover, today: dt.date) -> bool:
    """The rating wait is over: the office may close it without feedback."""
    return (
        handover.state == Handover.State.ANSWERED
        and handover.checked_by == CheckedBy.RATING
        and handover.answered_on is not None
        and (today - handover.answered_on).days >= settings.HANDOVER_RATING_WAIT_DAYS
    )


@transaction.atomic
def handover_close_unrated(
    *, handover: Handover, by: User, version: int | None = None, on: dt.date | None = None
) -> Handover:
    """代表未反馈: the office closes an answer its rater left unrated past the wait."""
    handover = _locked(handover, version)
    if not may_keep(by, handover):
        raise HandoverError(_("Only the office closes an unrated answer."), forbidden=True)
    if not rating_overdue(handover, _day(on)):
        raise HandoverError(
            _("It can be closed without a rating only %(days)s days after the answer.")
            % {"days": settings.HANDOVER_RATING_WAIT_DAYS},
            field="close",
        )
    _close(handover, Handover.Closure.NO_FEEDBACK, on)
    step = _step(handover, Step.Action.CLOSED, by=by, on=on, unit=handover.unit)
    _save(handover, kind_named(handover.kind), Step.Action.CLOSED, by)
    _tell(
        contacts_of(handover.unit_id),
        handover,
        step,
        _("Closed without feedback: %(title)s") % {"title": handover.title},
    )
    return handover


@transaction.atomic
def handover_extend(
    *,
    handover: Handover,
    by: User,
    due_on: dt.date,
    reason: str,
    version: int | None = None,
    on: dt.date | None = None,
) -> Handover:
    """The office consents to a later deadline, with a recorded reason, up to the kind's
    limit after the handover (six months for a suggestion)."""
    handover = _locked(handover, version)
    rules = kind_named(handover.kind)
    if not may_keep(by, handover):
        raise HandoverError(_("Only the office extends a deadline."), forbidden=True)
    if rules.max_months is None:
        raise HandoverError(_("This kind of work has no extensions."), field="due_on")
    if not handover.is_with_unit:
        raise HandoverError(_("Only work still with the unit can be extended."))
    if due_on <= handover.due_on:
        raise HandoverError(
            _("The new deadline must be later than the current one."), field="due_on"
        )
    limit = add_months(handover.handed_on, rules.max_months)
    if due_on > limit:
        raise HandoverError(
            _(
                "A deadline can be extended to %(limit)s at the latest (%(months)s months after the handover)."
            )
            % {"limit": date_format(limit), "months": rules.max_months},
            field="due_on",
        )
    if not reason.strip():
        raise HandoverError(_("Record the reason for the extension."), field="reason")
    handover.due_on = due_on
    handover.extension_reason = reason.strip()
    step = _step(
        handover,
        Step.Action.EXTENDED,
        by=by,
        on=on,
        unit=handover.unit,
        text=reason.strip(),
        due_on=due_on,
    )
    _save(handover, rules, Step.Action.EXTENDED, by)
    _tell(
        contacts_of(handover.unit_id),
        handover,
        step,
        _("Deadline extended to %(due)s: %(title)s")
        % {"due": long_date(due_on), "title": handover.title},
        reason.strip(),
    )
    return handover


@transaction.atomic
def handover_report_solved(
    *,
    handover: Handover,
    by: User,
    text: str,
    files: Sequence[UploadedFile] = (),
    on: dt.date | None = None,
) -> Handover:
    """A B answer (being solved or planned) stays followed until the main unit reports
    it solved."""
    handover = _locked(handover, None)
    if not is_main_unit(by, handover):
        raise HandoverError(_("Only the main unit reports it solved."), forbidden=True)
    if handover.answer_class != Handover.AnswerClass.B or handover.is_with_unit:
        raise HandoverError(_("Only a B answer is reported solved later."))
    if handover.solved_on is not None:
        raise HandoverError(_("It has already been reported solved."))
    if not text.strip():
        raise HandoverError(_("Say how it was solved."), field="text")
    handover.solved_on = _day(on)
    step = _step(handover, Step.Action.SOLVED, by=by, on=on, unit=handover.unit, text=text.strip())
    _files(step, files)
    _save(handover, kind_named(handover.kind), Step.Action.SOLVED, by)
    to = keepers_of(handover.region)
    if handover.rater_id:
        to = to | get_user_model().objects.filter(pk=handover.rater_id)
    _tell(to, handover, step, _("Reported solved: %(title)s") % {"title": handover.title})
    return handover


@transaction.atomic
def handover_withdraw(
    *,
    handover: Handover,
    by: User,
    reason: str,
    version: int | None = None,
    on: dt.date | None = None,
) -> Handover:
    """The office takes back work still with the unit (handed to the wrong unit, or no
    longer to be handed): closed as withdrawn, the unit told. What it was about keeps
    its own record (the module hands a new one where it goes elsewhere)."""
    handover = _locked(handover, version)
    if not may_keep(by, handover):
        raise HandoverError(_("Only the office withdraws work."), forbidden=True)
    if not handover.is_with_unit:
        raise HandoverError(_("Only work still with the unit can be withdrawn."))
    if not reason.strip():
        raise HandoverError(_("Say why it is withdrawn."), field="reason")
    _close(handover, Handover.Closure.WITHDRAWN, on)
    step = _step(
        handover, Step.Action.CLOSED, by=by, on=on, unit=handover.unit, text=reason.strip()
    )
    _save(handover, kind_named(handover.kind), Step.Action.CLOSED, by)
    _tell(
        contacts_of(handover.unit_id),
        handover,
        step,
        _("Withdrawn from your unit: %(title)s") % {"title": handover.title},
        reason.strip(),
    )
    return handover


@transaction.atomic
def handover_close_unresolved(
    *,
    handover: Handover,
    by: User,
    reason: str,
    version: int | None = None,
    on: dt.date | None = None,
) -> Handover:
    """The office closes work that was not resolved, with a reason (a rectification item
    still not rectified after its second list): counted apart from verified work. The
    kind's module decides when it may (its ``on_change`` hook may refuse)."""
    handover = _locked(handover, version)
    if not may_keep(by, handover):
        raise HandoverError(_("Only the office closes work unresolved."), forbidden=True)
    if handover.state == Handover.State.CLOSED:
        raise HandoverError(_("This item is already closed."))
    if not reason.strip():
        raise HandoverError(_("Say why it is closed unresolved."), field="reason")
    _close(handover, Handover.Closure.UNRESOLVED, on)
    step = _step(
        handover, Step.Action.CLOSED, by=by, on=on, unit=handover.unit, text=reason.strip()
    )
    _save(handover, kind_named(handover.kind), Step.Action.CLOSED, by)
    _tell(
        contacts_of(handover.unit_id),
        handover,
        step,
        _("Closed unresolved: %(title)s") % {"title": handover.title},
        reason.strip(),
    )
    return handover
