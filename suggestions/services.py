"""Every write to a suggestion: its own few rules, before the hand-over.

Submitting (a deputy of that congress), co-signing, a secretary's draft from a
reception, the intake (accept, merge, turn into a letter or an opinion) and the
hand-over are here. The rest — answer, rating, re-handling, extension, closing — is the
handover's (``handovers.services``); :func:`handover_changed` keeps ``status`` in step.

Each deputy on a suggestion (the lead on submission, a co-signer on confirming) gets
exactly one performance-record entry, ``source_key="suggestion:<pk>"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress_portal.edits import record_history, versioned_update
from congress_portal.errors import DomainError
from deputies.models import Activity, Deputy, Mandate
from deputies.selectors import deputy_of, holds_seat
from deputies.services import activity_record
from handovers.models import Handover
from handovers.services import HandoverError, handover_create
from liaison_stations.models import Reception
from liaison_stations.services import reception_became
from notifications.models import Kind as NoticeKind
from notifications.services import notifications_send
from organisation.access import has_role
from organisation.congresses import keeps_congress
from organisation.models import Region, Unit, User
from organisation.roles import SUGGESTION_KEEPERS, Role
from suggestions.models import Category, Counter, Level, Signature, Suggestion

KIND = "suggestion"


class SuggestionError(DomainError):
    """A suggestion step was refused; the message is safe to show."""


def subject_url(handover: Handover) -> str:
    return Suggestion(pk=handover.subject_id).get_absolute_url()


# --- Who ------------------------------------------------------------------------------------


def may_keep(user: User, suggestion: Suggestion) -> bool:
    """The office of the suggestion's congress (organisation/congresses.py)."""
    return keeps_congress(user, level=suggestion.level, region=suggestion.region)


def congresses_of(deputy: Deputy) -> QuerySet[Mandate]:
    """The deputy's active seats at a congress an office here keeps."""
    return (
        Mandate.objects.active()
        .filter(deputy=deputy, level__in=Level.values)
        .select_related("region")
        .order_by("region__path")
    )


# --- Numbering ---------------------------------------------------------------------------


def _next_number(region: Region, level: str, year: int) -> int:
    """The next number of the congress's year, race-free: the counter's row is created
    once (a concurrent creator's insert fails and is read back) and incremented by an
    UPDATE that holds its lock until the transaction ends."""
    counter, _created = Counter.objects.get_or_create(region=region, level=level, year=year)
    Counter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return Counter.objects.values_list("last", flat=True).get(pk=counter.pk)


def _number(suggestion: Suggestion, on: dt.date) -> None:
    """Submitted: numbered in the congress's year of ``on``."""
    suggestion.number = _next_number(suggestion.region, suggestion.level, on.year)
    suggestion.year = on.year
    suggestion.submitted_on = on
    suggestion.status = Suggestion.Status.SUBMITTED


def _record_activity(deputy: Deputy, suggestion: Suggestion, on: dt.date) -> None:
    activity_record(
        deputy=deputy,
        kind=Activity.Kind.SUGGESTION,
        date=on,
        title=(_("Suggestion: %(title)s") % {"title": suggestion.title})[:120],
        source_key=f"suggestion:{suggestion.pk}",
    )


# --- Submitting ---------------------------------------------------------------------------


def _check_text(title: str, content: str, category: str) -> None:
    if not title.strip():
        raise SuggestionError(_("Give the suggestion a title."), field="title")
    if not content.strip():
        raise SuggestionError(_("Write what the suggestion asks for."), field="content")
    if category not in Category.values:
        raise SuggestionError(_("Choose a category."), field="category")


def _check_cosigners(
    co_signers: Sequence[Deputy], lead: Deputy, level: str, region: Region
) -> list[Deputy]:
    unique = list(dict.fromkeys(co_signers))
    for deputy in unique:
        if deputy.pk == lead.pk:
            raise SuggestionError(
                _("The lead deputy does not co-sign their own suggestion."), field="co_signers"
            )
        if not holds_seat(deputy, level=level, region=region):
            raise SuggestionError(
                _("%(name)s is not a deputy of this congress.") % {"name": deputy.name},
                field="co_signers",
            )
    return unique


@transaction.atomic
def suggestion_submit(
    *,
    by: User,
    level: str,
    region: Region,
    title: str,
    content: str,
    category: str,
    session: str = "",
    co_signers: Sequence[Deputy] = (),
    on: dt.date | None = None,
) -> Suggestion:
    """A deputy of the congress submits a suggestion; it is numbered at once and the
    co-signers are asked to confirm."""
    lead = deputy_of(by)
    if lead is None:
        raise SuggestionError(_("Only a deputy submits a suggestion."), forbidden=True)
    if level not in Level.values:
        raise SuggestionError(_("Choose the congress."), field="congress")
    if not holds_seat(lead, level=level, region=region):
        raise SuggestionError(
            _("You can submit suggestions only to a congress you are a deputy of."),
            field="congress",
        )
    _check_text(title, content, category)
    signers = _check_cosigners(co_signers, lead, level, region)
    day = on or timezone.localdate()
    suggestion = Suggestion(
        level=level,
        region=region,
        session=session.strip(),
        title=title.strip(),
        content=content.strip(),
        category=category,
        lead=lead,
    )
    _number(suggestion, day)
    suggestion.save()
    _record_activity(lead, suggestion, day)
    Signature.objects.bulk_create(
        [Signature(suggestion=suggestion, deputy=deputy) for deputy in signers]
    )
    _ask_cosigners(suggestion, signers)
    return suggestion


def _ask_cosigners(suggestion: Suggestion, signers: Sequence[Deputy]) -> None:
    users = [deputy.user_id for deputy in signers if deputy.user_id]
    if users:
        notifications_send(
            users=get_user_model().objects.filter(pk__in=users, is_active=True),
            kind=NoticeKind.OTHER,
            title=_("Please confirm your co-signature: %(title)s") % {"title": suggestion.title},
            body=str(suggestion.lead),
            url=suggestion.get_absolute_url(),
            key=f"suggestion:{suggestion.pk}:cosign",
        )


@transaction.atomic
def suggestion_draft_from_reception(
    *,
    by: User,
    reception: Reception,
    lead: Deputy,
    level: str,
    region: Region,
    title: str,
    content: str,
    category: str,
    session: str = "",
) -> Suggestion:
    """A secretary drafts a suggestion from a station reception for a deputy to confirm;
    the reception then links to it (its handling: turned into a deputy suggestion)."""
    if not has_role(by, SUGGESTION_KEEPERS):
        raise SuggestionError(_("Only the office drafts a suggestion."), forbidden=True)
    locked = Reception.objects.visible_to(by).select_for_update().filter(pk=reception.pk).first()
    if locked is None:
        raise SuggestionError(_("This reception is not yours to draft from."), field="reception")
    reception = locked
    if reception.follow_up_id is not None:
        raise SuggestionError(
            _("A suggestion has already been drafted from this reception."), field="reception"
        )
    if level not in Level.values:
        raise SuggestionError(_("Choose the congress."), field="congress")
    if not holds_seat(lead, level=level, region=region):
        raise SuggestionError(
            _("%(name)s is not a deputy of this congress.") % {"name": lead.name}, field="lead"
        )
    _check_text(title, content, category)
    suggestion = Suggestion.objects.create(
        level=level,
        region=region,
        year=timezone.localdate().year,
        session=session.strip(),
        title=title.strip(),
        content=content.strip(),
        category=category,
        lead=lead,
        drafted_by=by,
        reception=reception,
    )
    reception_became(
        reception=reception,
        record=suggestion,
        handling=Reception.Handling.SUGGESTION,
        by=by,
        reason=_("Drafted as a deputy suggestion"),
    )
    if lead.user_id:
        notifications_send(
            users=get_user_model().objects.filter(pk=lead.user_id, is_active=True),
            kind=NoticeKind.OTHER,
            title=_("A suggestion was drafted for you to confirm: %(title)s")
            % {"title": suggestion.title},
            body=by.display_name,
            url=suggestion.get_absolute_url(),
            key=f"suggestion:{suggestion.pk}:draft",
        )
    return suggestion


@transaction.atomic
def suggestion_confirm(
    *, suggestion: Suggestion, by: User, version: int, on: dt.date | None = None
) -> Suggestion:
    """The lead deputy confirms a draft: it is submitted and numbered."""
    deputy = deputy_of(by)
    if deputy is None or deputy.pk != suggestion.lead_id:
        raise SuggestionError(_("Only the lead deputy confirms the draft."), forbidden=True)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.version != version:
        raise SuggestionError(
            _("Someone else changed this suggestion meanwhile. Look at it again."), conflict=True
        )
    if suggestion.status != Suggestion.Status.DRAFT:
        raise SuggestionError(_("This suggestion has already been submitted."), field="confirm")
    if not holds_seat(deputy, level=suggestion.level, region=suggestion.region):
        raise SuggestionError(
            _("You can submit suggestions only to a congress you are a deputy of."),
            field="confirm",
        )
    day = on or timezone.localdate()
    _number(suggestion, day)
    suggestion.version += 1
    suggestion._change_reason = pgettext("suggestion", "Submitted")  # type: ignore[attr-defined]  # read by simple-history
    suggestion.save()
    _record_activity(deputy, suggestion, day)
    return suggestion


@transaction.atomic
def signature_confirm(*, suggestion: Suggestion, by: User, on: dt.date | None = None) -> Signature:
    """A co-signer confirms their signature (once; again is refused)."""
    deputy = deputy_of(by)
    signature = (
        Signature.objects.select_for_update().filter(suggestion=suggestion, deputy=deputy).first()
        if deputy
        else None
    )
    if signature is None:
        raise SuggestionError(_("You are not asked to co-sign this suggestion."), forbidden=True)
    if signature.confirmed_on is not None:
        raise SuggestionError(_("You have already confirmed your signature."), field="confirm")
    if suggestion.status in Suggestion.ENDED_AT_INTAKE:
        raise SuggestionError(_("This suggestion is no longer open for signatures."))
    day = on or timezone.localdate()
    signature.confirmed_on = day
    signature.save()
    _record_activity(signature.deputy, suggestion, day)
    return signature


# --- Intake ------------------------------------------------------------------------------


def _intake(suggestion: Suggestion, by: User, version: int) -> None:
    if not may_keep(by, suggestion):
        raise SuggestionError(
            _("Only the office of this congress screens its suggestions."), forbidden=True
        )
    if suggestion.status != Suggestion.Status.SUBMITTED:
        raise SuggestionError(_("Only a submitted suggestion is screened."), field="action")


def _tell_lead(suggestion: Suggestion, title: str, body: str, step: str) -> None:
    if suggestion.lead.user_id:
        notifications_send(
            users=get_user_model().objects.filter(pk=suggestion.lead.user_id, is_active=True),
            kind=NoticeKind.OTHER,
            title=title,
            body=body,
            url=suggestion.get_absolute_url(),
            key=f"suggestion:{suggestion.pk}:{step}",
        )


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by: User, version: int) -> Suggestion:
    _intake(suggestion, by, version)
    suggestion = versioned_update(
        suggestion,
        version=version,
        values={"status": Suggestion.Status.ACCEPTED},
        error=SuggestionError,
    )
    record_history(suggestion, by=by, reason=pgettext("suggestion", "Accepted"))
    return suggestion


@transaction.atomic
def suggestion_merge(
    *, suggestion: Suggestion, by: User, into: Suggestion | None, reason: str, version: int
) -> Suggestion:
    """Merge into another suggestion of the same congress, with a reason the deputy sees."""
    _intake(suggestion, by, version)
    if into is None or into.pk == suggestion.pk:
        raise SuggestionError(_("Choose the suggestion to merge it into."), field="into")
    if (into.region_id, into.level) != (suggestion.region_id, suggestion.level):
        raise SuggestionError(
            _("A suggestion is merged only into one of the same congress."), field="into"
        )
    if into.status in (Suggestion.Status.DRAFT, *Suggestion.ENDED_AT_INTAKE):
        raise SuggestionError(
            _("That suggestion cannot take others: it is a draft or was itself merged or turned."),
            field="into",
        )
    if not reason.strip():
        raise SuggestionError(_("Give the reason the deputy will see."), field="reason")
    suggestion = versioned_update(
        suggestion,
        version=version,
        values={
            "status": Suggestion.Status.MERGED,
            "merged_into": into,
            "intake_reason": reason.strip(),
        },
        error=SuggestionError,
    )
    record_history(suggestion, by=by, reason=_("Merged"))
    _tell_lead(
        suggestion,
        _("Your suggestion was merged: %(title)s") % {"title": suggestion.title},
        reason.strip(),
        "merged",
    )
    return suggestion


@transaction.atomic
def suggestion_convert(
    *, suggestion: Suggestion, by: User, to: str, reason: str, version: int
) -> Suggestion:
    """Turn it into a letter from the public or a critical opinion, with a reason."""
    _intake(suggestion, by, version)
    if to not in Suggestion.ConvertedTo.values:
        raise SuggestionError(_("Choose what it is turned into."), field="converted_to")
    if not reason.strip():
        raise SuggestionError(_("Give the reason the deputy will see."), field="reason")
    suggestion = versioned_update(
        suggestion,
        version=version,
        values={
            "status": Suggestion.Status.CONVERTED,
            "converted_to": to,
            "intake_reason": reason.strip(),
        },
        error=SuggestionError,
    )
    record_history(suggestion, by=by, reason=_("Turned into a letter or an opinion"))
    _tell_lead(
        suggestion,
        _("Your suggestion was turned into %(what)s: %(title)s")
        % {"what": suggestion.get_converted_to_display(), "title": suggestion.title},
        reason.strip(),
        "converted",
    )
    return suggestion


# --- Hand-over ---------------------------------------------------------------------------


@transaction.atomic
def suggestion_hand_over(
    *,
    suggestion: Suggestion,
    by: User,
    unit: Unit | None,
    version: int,
    helping_units: Sequence[Unit] = (),
    due_on: dt.date | None = None,
    is_key: bool = False,
    leader: User | None = None,
    on: dt.date | None = None,
) -> Suggestion:
    """交办: hand an accepted suggestion to a main unit (and helping units), due three
    months later unless a deadline is given (at most six). The lead deputy rates the
    answer; a lead without an account rates on paper and the office that handed it
    over records the rating. A key suggestion 重点督办 names its lead leader."""
    if not may_keep(by, suggestion):
        raise SuggestionError(
            _("Only the office of this congress hands its suggestions over."), forbidden=True
        )
    suggestion = (
        Suggestion.objects.select_for_update()
        .select_related("lead", "region")
        .get(pk=suggestion.pk)
    )
    if suggestion.version != version:
        raise SuggestionError(
            _("Someone else changed this suggestion meanwhile. Look at it again."), conflict=True
        )
    if suggestion.status != Suggestion.Status.ACCEPTED:
        raise SuggestionError(_("Only an accepted suggestion is handed over."), field="unit")
    if unit is None:
        raise SuggestionError(_("Choose the main unit."), field="unit")
    if is_key and (leader is None or leader.role != Role.LEADER):
        raise SuggestionError(_("A key suggestion needs its lead leader."), field="leader")
    rater = suggestion.lead.user if suggestion.lead.user_id else by
    try:
        handover = handover_create(
            kind=KIND,
            subject=suggestion,
            title=suggestion.title,
            region=suggestion.region,
            unit=unit,
            by=by,
            due_on=due_on,
            helping_units=helping_units,
            rater=rater,
            leader=leader if is_key else None,
            handed_on=on,
        )
    except HandoverError as error:
        raise SuggestionError(error.message, field=error.field) from error
    Suggestion.objects.filter(pk=suggestion.pk).update(
        handover=handover,
        is_key=is_key,
        leader=leader if is_key else None,
        version=F("version") + 1,
    )
    suggestion.refresh_from_db()
    record_history(suggestion, by=by, reason=_("Handed over"))
    return suggestion


#: The suggestion's status while its handover is in each state.
STATUS_OF = {
    Handover.State.HANDED: Suggestion.Status.HANDED,
    Handover.State.RETURNED: Suggestion.Status.HANDED,
    Handover.State.ANSWERED: Suggestion.Status.ANSWERED,
    Handover.State.CLOSED: Suggestion.Status.CLOSED,
}


def handover_changed(handover: Handover, action: str) -> None:
    """The kind's ``on_change``: mirror the handover's state into the suggestion's status
    (inside the handover's transaction)."""
    status = STATUS_OF[Handover.State(handover.state)]
    Suggestion.objects.filter(pk=handover.subject_id).exclude(status=status).update(
        status=status, version=F("version") + 1
    )
