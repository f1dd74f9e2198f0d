"""Writes to the liaison stations: 十有 ratings, the duty rota, duty logs, receptions
and the public opinion form."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import TypedDict, Unpack

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from congress_portal.edits import record_history, stale_message, versioned_update
from congress_portal.errors import DomainError
from congress_portal.uploads import PHOTO_SUFFIXES, upload_check
from deputies.models import Activity, Deputy
from deputies.services import activities_withdraw, activity_record
from handovers.models import Handover, Step
from handovers.services import (
    HandoverError,
    handover_create,
    handover_withdraw,
)
from liaison_stations import selectors
from liaison_stations.models import (
    DutyLog,
    DutyPhoto,
    DutyShift,
    Reception,
    StandardCriterion,
    StandardRating,
    Station,
)
from liaison_stations.selectors import REFERRAL, referral_of
from notifications.models import Kind
from notifications.services import notifications_send
from organisation.models import Unit, User


class StationError(DomainError):
    """A rule of the liaison stations was broken; the message is safe to show.

    ``field`` names the input the rule is about, so a form can show the message next to it.
    """


# --- Stations -------------------------------------------------------------------------------


class StationFields(TypedDict, total=False):
    """What the office or the station's secretary may change; ``station_update`` takes
    any of them."""

    name: str
    kind: str
    address: str
    rule: str
    rule_days: str
    opening_hours: str
    deputies_per_shift: int
    contact_name: str
    contact_phone: str
    is_active: bool


STATION_FIELDS = tuple(StationFields.__annotations__)


def rule_days_parse(*, rule: str, text: str) -> list[int]:
    """The opening days written as "6,16,26" (or with Chinese commas, spaces…): days of
    the month 1–31, or ISO weekdays 1–7 for a weekly rule."""
    high = 31 if rule == Station.Rule.MONTH_DAYS else 7
    parts = text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
    try:
        days = sorted({int(p) for p in parts if p.strip()})
    except ValueError:
        days = []
    if not days or not all(1 <= d <= high for d in days):
        if rule == Station.Rule.MONTH_DAYS:
            message = _("Write days of the month from 1 to 31, e.g. 6,16,26.")
        else:
            message = _("Write days of the week from 1 (Monday) to 7 (Sunday), e.g. 2,5.")
        raise StationError(message, field="rule_days")
    return days


@transaction.atomic
def station_update(
    *,
    station: Station,
    version: int,
    by: User | None,
    deputies: Iterable[Deputy] | None = None,
    **fields: Unpack[StationFields],
) -> Station:
    """Change a station's details and its attached deputies.

    ``version`` is the one the editor's form was opened with: the UPDATE only matches
    while nobody else has saved in between, so a second editor is told instead of
    silently overwriting the first (on PostgreSQL a concurrent UPDATE waits for the
    first transaction and then finds the version moved on)."""
    if "rule_days" in fields:
        days = rule_days_parse(rule=fields.get("rule", station.rule), text=fields["rule_days"])
        fields["rule_days"] = ",".join(str(d) for d in days)
    if "deputies_per_shift" in fields and not 1 <= fields["deputies_per_shift"] <= 10:
        raise StationError(_("Between 1 and 10 deputies per duty day."), field="deputies_per_shift")
    for name in ("name", "address", "opening_hours", "contact_name", "contact_phone"):
        if name in fields:
            fields[name] = fields[name].strip()
    if fields.get("name") == "":
        raise StationError(_("A station needs a name."), field="name")
    station = versioned_update(station, version=version, values=dict(fields), error=StationError)
    reason = ""
    if deputies is not None:
        deputies = list(deputies)
        before = set(station.deputies.values_list("pk", flat=True))
        if before != {d.pk for d in deputies}:
            station.deputies.set(deputies)
            names = "、".join(sorted(d.name for d in deputies)) or "—"
            # The M2M is not in the historical row: say who is attached in the reason.
            reason = _("Attached deputies: %(names)s") % {"names": names}
    record_history(station, by=by, reason=reason)
    return station


# --- 十有 -----------------------------------------------------------------------------------


def _photo_check(upload: UploadedFile, *, field: str) -> None:
    """A photo is a JPEG or PNG of at most 10 MB, checked by its first bytes too."""
    try:
        upload_check(
            upload,
            suffixes=PHOTO_SUFFIXES,
            refused=_("%(name)s: only JPEG and PNG photos are accepted."),
        )
    except ValueError as error:
        raise StationError(str(error), field=field) from error


@transaction.atomic
def standard_rating_set(
    *,
    station: Station,
    criterion: StandardCriterion,
    met: bool,
    rated_on: dt.date,
    by: User | None,
    evidence: UploadedFile | None = None,
    note: str = "",
) -> StandardRating:
    """Rate a station against one criterion; the previous rating stays in the history."""
    if rated_on > timezone.localdate():
        raise StationError(_("A rating cannot be dated in the future."), field="rated_on")
    if evidence:
        _photo_check(evidence, field="evidence")
    # Lock the station: with no rating yet there is no row to lock, and two first
    # ratings at once would both insert one (the second a unique-constraint error).
    Station.objects.select_for_update().filter(pk=station.pk).first()
    found: StandardRating | None = StandardRating.objects.filter(
        station=station, criterion=criterion
    ).first()
    rating = found or StandardRating(station=station, criterion=criterion)
    rating.met = met
    rating.rated_on = rated_on
    rating.note = note
    rating.rated_by = by
    if evidence:
        rating.evidence = evidence
    rating._history_user = by  # type: ignore[attr-defined]
    rating.save()
    return rating


# --- Duty rota --------------------------------------------------------------------------------


def rota_generate(
    *, station: Station, year: int, month: int, by: User | None = None
) -> list[DutyShift]:
    """Create the month's duty shifts from the station's opening rule, the attached
    deputies assigned in turn.

    The turn continues where the previous months stopped, so months follow each other
    fairly. A month that already has a duty day is left as it is: running it again
    changes nothing, and a day the secretary moved, cancelled, swapped or logged is
    never made again or touched. A station without deputies still gets its opening
    days — the secretary keeps the station open — with nobody on the rota.
    """
    if not 1 <= month <= 12:
        raise StationError(_("No such month."))
    dates = station.opening_dates(year, month)
    if not dates:
        raise StationError(_("The opening rule gives no day in this month."))
    with transaction.atomic():
        # Lock the station row so two secretaries (or the job and a secretary)
        # generating at once do not interleave.
        Station.objects.select_for_update().filter(pk=station.pk).first()
        if selectors.station_month_shifts(station, year, month).exists():
            # Day by day would make a moved day again on its old date.
            return []
        todo = dates
        deputy_ids = list(
            station.deputies.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
        )
        # The turn goes on from where earlier months stopped: the number of places
        # already given out at this station says whose turn it is.
        start = (
            DutyShift.deputies.through.objects.filter(
                dutyshift__station=station, dutyshift__date__lt=todo[0]
            ).count()
            if deputy_ids
            else 0
        )
        per_shift = min(station.deputies_per_shift, len(deputy_ids))
        shifts = []
        links = []
        Through = DutyShift.deputies.through
        for offset, day in enumerate(todo):
            shift = DutyShift(station=station, date=day)
            shift._history_user = by  # type: ignore[attr-defined]
            shift.save()
            shifts.append(shift)
            for k in range(per_shift):
                deputy_id = deputy_ids[(start + offset * per_shift + k) % len(deputy_ids)]
                links.append(Through(dutyshift_id=shift.pk, deputy_id=deputy_id))
        Through.objects.bulk_create(links)
    return shifts


@dataclass(frozen=True)
class RotaAhead:
    """What :func:`rota_generate_ahead` did."""

    year: int
    month: int
    stations: int
    """Stations that got their month."""
    shifts: int
    """Duty days made."""


def rota_generate_ahead(*, today: dt.date, by: User | None = None) -> RotaAhead:
    """Next month's rota for every active station whose opening rule gives a day in
    it and which has no duty day in it yet (the beat job, daily: safe to run any
    number of times; a month made once, by the job or by a secretary, is never
    generated again)."""
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    made = DutyShift.objects.filter(date__gte=start, date__lt=end).values("station_id")
    # One query finds the stations still to do; on most days there are none.
    todo = Station.objects.filter(is_active=True).exclude(rule_days="").exclude(pk__in=made)
    stations = shifts = 0
    for station in todo.order_by("pk"):
        if not station.opening_dates(year, month):
            continue  # 逢31进站 in a short month, or no valid day
        made_now = rota_generate(station=station, year=year, month=month, by=by)
        stations += bool(made_now)
        shifts += len(made_now)
    return RotaAhead(year=year, month=month, stations=stations, shifts=shifts)


@transaction.atomic
def duty_shift_update(
    *,
    shift: DutyShift,
    version: int,
    by: User | None,
    date: dt.date,
    deputies: Iterable[Deputy],
    note: str = "",
    is_cancelled: bool = False,
) -> DutyShift:
    deputies = list(deputies)
    attached = set(shift.station.deputies.values_list("pk", flat=True))
    if any(d.pk not in attached for d in deputies):
        raise StationError(_("Only deputies attached to the station can be on its rota."))
    if DutyShift.objects.filter(station=shift.station, date=date).exclude(pk=shift.pk).exists():
        raise StationError(_("The station already has a duty shift on that day."))
    if hasattr(shift, "log") and date != shift.date:
        raise StationError(_("A duty day that has been logged cannot be moved."))
    values = {"date": date, "note": note, "is_cancelled": is_cancelled}
    shift = versioned_update(shift, version=version, values=values, error=StationError)
    shift.deputies.set(deputies)
    record_history(shift, by=by)
    return shift


@transaction.atomic
def duty_shift_swap(
    *,
    shift: DutyShift,
    deputy: Deputy,
    other_shift: DutyShift,
    other_deputy: Deputy,
    by: User | None,
) -> None:
    """``deputy`` takes ``other_deputy``'s place on ``other_shift`` and the other way round."""
    if shift.pk == other_shift.pk:
        raise StationError(_("Choose two different duty days to swap."))
    if shift.station_id != other_shift.station_id:
        raise StationError(_("Only duty days of the same station can be swapped."))
    locked = {
        s.pk: s
        for s in DutyShift.objects.select_for_update().filter(pk__in=[shift.pk, other_shift.pk])
    }
    on_first = set(locked[shift.pk].deputies.values_list("pk", flat=True))
    on_second = set(locked[other_shift.pk].deputies.values_list("pk", flat=True))
    if deputy.pk not in on_first or other_deputy.pk not in on_second:
        raise StationError(_("Each deputy must be on the duty day they give away."))
    if deputy.pk in on_second or other_deputy.pk in on_first:
        raise StationError(_("A deputy is already on duty that day."))
    if hasattr(shift, "log") or hasattr(other_shift, "log"):
        raise StationError(_("A duty day that has been logged cannot be swapped."))
    shift.deputies.remove(deputy)
    shift.deputies.add(other_deputy)
    other_shift.deputies.remove(other_deputy)
    other_shift.deputies.add(deputy)
    reason = _("Swap: %(a)s ↔ %(b)s") % {"a": deputy.name, "b": other_deputy.name}
    # Both rows are locked, so their versions are current: the update bumps them, and a
    # shift edit opened before the swap is then told the day changed.
    for changed in (locked[shift.pk], locked[other_shift.pk]):
        versioned_update(changed, version=changed.version, values={}, error=StationError)
        record_history(changed, by=by, reason=reason)


# --- Receptions ---------------------------------------------------------------------------------


@dataclass
class ReceptionInput:
    """One constituent as typed into the duty-log form."""

    channel: str
    category: str
    content: str
    visitor_name: str = ""
    visitor_phone: str = ""
    village: str = ""
    handling: str = Reception.Handling.PENDING
    answer: str = ""
    referred_unit: Unit | None = None
    referral_due: dt.date | None = None


def reception_handling_check(
    *, handling: str, answer: str, referred_unit: Unit | None, referral_due: dt.date | None
) -> None:
    """The rule for how a request was handled: an answer on the spot is written down, a
    referral names its unit and its deadline. Forms call it too, to place the error."""
    if handling == Reception.Handling.ANSWERED and not answer.strip():
        raise StationError(_("Write the answer given on the spot."), field="answer")
    if handling == Reception.Handling.REFERRED:
        if referred_unit is None:
            raise StationError(
                _("Choose the unit the request is referred to."), field="referred_unit"
            )
        if referral_due is None:
            raise StationError(_("Give the referral a deadline."), field="referral_due")


def reception_record(
    *,
    station: Station,
    data: ReceptionInput,
    by: User | None,
    shift: DutyShift | None = None,
    received_at: dt.datetime | None = None,
    consent: bool = False,
    submission: str = "",
) -> Reception:
    reception_handling_check(
        handling=data.handling,
        answer=data.answer,
        referred_unit=data.referred_unit,
        referral_due=data.referral_due,
    )
    if shift is not None and shift.station_id != station.pk:
        raise StationError(_("The duty shift belongs to another station."))
    reception = Reception(
        station=station,
        shift=shift,
        received_at=received_at or timezone.now(),
        channel=data.channel,
        category=data.category,
        content=data.content.strip(),
        visitor_name=data.visitor_name.strip(),
        visitor_phone=data.visitor_phone.strip(),
        village=data.village.strip(),
        handling=data.handling,
        answer=data.answer.strip(),
        referred_unit=data.referred_unit if data.handling == Reception.Handling.REFERRED else None,
        referral_due=data.referral_due if data.handling == Reception.Handling.REFERRED else None,
        # Answered on the spot: nothing is left open.
        closed_on=timezone.localdate() if data.handling == Reception.Handling.ANSWERED else None,
        consent=consent,
        recorded_by=by,
        submission=submission,
    )
    reception._history_user = by  # type: ignore[attr-defined]
    reception.save()
    if reception.handling == Reception.Handling.REFERRED:
        _hand_over(reception, by=by)
    if shift is not None:
        reception_activities_sync(shift)
    return reception


@transaction.atomic
def reception_handle(
    *,
    reception: Reception,
    version: int,
    by: User | None,
    handling: str,
    answer: str = "",
    referred_unit: Unit | None = None,
    referral_due: dt.date | None = None,
    result: str = "",
    feedback: str = "",
    close: bool = False,
) -> Reception:
    """Record how a reception is handled: answered, referred (with a deadline), its
    result and the constituent's feedback, and close it when done.

    A referral is a handover (``handovers``) to the unit: referring hands it over, in
    this transaction; the unit answers on the handover's page, and the reception closes
    when the office verifies that answer, never by ticking "closed" here. Its result
    and closing day are the handover's. While the unit has not answered, the referral
    may go to another unit (the first handover is withdrawn, a new one handed) or be
    withdrawn; its deadline stays. Once answered it stays with its unit."""
    reception_handling_check(
        handling=handling, answer=answer, referred_unit=referred_unit, referral_due=referral_due
    )
    if close and handling == Reception.Handling.PENDING:
        raise StationError(_("Say how the request was handled before closing it."))
    referred = handling == Reception.Handling.REFERRED
    current = referral_of(reception)
    if (
        current is not None
        and not current.is_with_unit
        and (not referred or referred_unit != current.unit)
    ):
        raise StationError(
            _(
                "%(unit)s has already answered this referral: it stays with that unit "
                "(verify the answer on the referral's page)."
            )
            % {"unit": current.unit},
            field="handling" if not referred else "referred_unit",
        )
    if (
        current is not None
        and referred
        and referred_unit == current.unit
        and referral_due != current.due_on
    ):
        raise StationError(
            _("The deadline of a referral handed to its unit stays as it was handed (%(due)s).")
            % {"due": date_format(current.due_on)},
            field="referral_due",
        )
    if referred and close and reception.closed_on is None:
        raise StationError(
            _("A referral is closed by verifying the unit's answer on the referral's page."),
            field="close",
        )
    if referred:
        # The handover keeps them: the unit's answer, and the day the office verified it.
        result, closed_on = reception.result, reception.closed_on
    else:
        closed_on = reception.closed_on or timezone.localdate() if close else None
    values = {
        "handling": handling,
        "answer": answer.strip(),
        "referred_unit": referred_unit if referred else None,
        "referral_due": referral_due if referred else None,
        "result": result.strip(),
        "feedback": feedback.strip(),
        "closed_on": closed_on,
    }
    reception = versioned_update(reception, version=version, values=values, error=StationError)
    record_history(reception, by=by)
    if (
        current is not None
        and current.is_with_unit
        and (not referred or referred_unit != current.unit)
    ):
        reason = (
            _("Referred to %(unit)s instead.") % {"unit": referred_unit}
            if referred
            else _("No longer referred: %(handling)s.")
            % {"handling": Reception.Handling(handling).label}
        )
        _referral_step(handover_withdraw, handover=current, by=by, reason=reason)
        current = None
    if referred and current is None and closed_on is None:
        _hand_over(reception, by=by)
    reception.refresh_from_db()
    return reception


# A handover's refusal, by the reception form's field it is about.
_REFERRAL_FIELDS = {"due_on": "referral_due", "unit": "referred_unit"}


def _referral_step(step, **kwargs) -> Handover:
    try:
        return step(**kwargs)
    except HandoverError as error:
        raise StationError(
            str(error),
            field=_REFERRAL_FIELDS.get(error.field or "", error.field),
            forbidden=error.forbidden,
            conflict=error.conflict,
        ) from error


def reception_became(
    *, reception: Reception, record: models.Model, handling: str, by: User, reason: str
) -> Reception:
    """The reception became another module's record (a deputy suggestion, a
    livelihood-project proposal): its handling says so and its generic ``follow_up``
    links to the record, with one history entry. The caller holds the reception's row
    lock and has checked it had no follow-up yet."""
    Reception.objects.filter(pk=reception.pk).update(
        handling=handling,
        follow_up_type=ContentType.objects.get_for_model(record),
        follow_up_id=record.pk,
        version=F("version") + 1,
    )
    reception.refresh_from_db()
    record_history(reception, by=by, reason=reason)
    return reception


def _hand_over(reception: Reception, *, by: User | None) -> Handover:
    """交办: hand a referred reception to its unit, due on the referral's deadline."""
    station = Station.objects.select_related("region").get(pk=reception.station_id)
    if reception.referred_unit is None:  # the form's and the table's rule
        raise StationError(_("Choose the unit the request is referred to."), field="referred_unit")
    return _referral_step(
        handover_create,
        kind=REFERRAL,
        subject=reception,
        title=f"{station.name}：{Truncator(reception.content).chars(80)}",
        region=station.region,
        unit=reception.referred_unit,
        by=by,
        due_on=reception.referral_due,
    )


def referral_changed(handover: Handover, action: str) -> None:
    """``HandoverKind.on_change`` of a referral: the reception keeps the unit's answer as
    its result and the deadline in force, and closes the day the office verifies the
    answer, with the verifier's words (typically the constituent's feedback) as its
    feedback. A withdrawn referral leaves it to ``reception_handle``."""
    if handover.closure == Handover.Closure.WITHDRAWN:
        return
    reception = Reception.objects.select_for_update().get(pk=handover.subject_id)
    step = handover.steps.order_by("-at", "-pk").first()
    values: dict[str, object] = {"result": handover.answer, "referral_due": handover.due_on}
    if handover.state == Handover.State.CLOSED and handover.closure == Handover.Closure.VERIFIED:
        values["closed_on"] = handover.closed_on
        if step is not None and step.action == Step.Action.VERIFIED and step.text:
            values["feedback"] = step.text
    changed = {name: value for name, value in values.items() if getattr(reception, name) != value}
    if not changed:
        return
    Reception.objects.filter(pk=reception.pk).update(**changed, version=F("version") + 1)
    reception.refresh_from_db()
    record_history(
        reception,
        by=step.by if step is not None else None,
        reason=str(Step.Action(action).label) if action in Step.Action.values else action,
    )


def referral_url(handover: Handover) -> str:
    """``HandoverKind.subject_url`` of a referral: the reception's page."""
    return reverse("liaison_stations:reception", args=[handover.subject_id])


# --- Duty log -----------------------------------------------------------------------------------


@transaction.atomic
def duty_log_record(
    *,
    shift: DutyShift,
    by: User | None,
    attendees: Sequence[Deputy],
    hours: Decimal,
    notes: str = "",
    photos: Sequence[UploadedFile] = (),
    receptions: Sequence[ReceptionInput] = (),
    version: int | None = None,
) -> DutyLog:
    """Log a duty day in one go: who came, hours, notes, photos and the constituents
    received. Each deputy who came gets a station-duty entry in their performance record.

    ``version`` is the log's version the form was opened with (None for a new log).
    """
    if shift.is_cancelled:
        raise StationError(_("This duty day was cancelled."))
    if shift.date > timezone.localdate():
        raise StationError(_("A duty day can only be logged on the day or after it."))
    if not Decimal("0") < hours <= Decimal("24"):
        raise StationError(_("Hours must be between 0 and 24."))
    attached = set(shift.station.deputies.values_list("pk", flat=True)) | set(
        shift.deputies.values_list("pk", flat=True)
    )
    if any(d.pk not in attached for d in attendees):
        raise StationError(_("Only deputies of this station can be logged as present."))
    for photo in photos:
        _photo_check(photo, field="photos")
    # Lock the duty day itself: with no log yet there is no log row to lock, and two
    # first saves at once (a double tap on a slow phone) would both try to insert one.
    DutyShift.objects.select_for_update().filter(pk=shift.pk).first()
    log = DutyLog.objects.filter(shift=shift).first()
    if log is None:
        if version not in (None, 0):  # the form was opened on a log deleted since
            raise StationError(stale_message(), conflict=True)
        log = DutyLog(shift=shift, hours=hours, notes=notes.strip(), recorded_by=by)
        log._history_user = by  # type: ignore[attr-defined]
        log.save()
    else:
        if version is None:  # a first save, but someone else logged the day meanwhile
            raise StationError(stale_message(), conflict=True)
        values = {"hours": hours, "notes": notes.strip()}
        log = versioned_update(log, version=version, values=values, error=StationError)
        record_history(log, by=by)
    log.attendees.set(attendees)
    for photo in photos:
        DutyPhoto.objects.create(log=log, image=photo)
    source = f"duty_log:{log.pk}"
    title = _("Duty at %(station)s") % {"station": shift.station.name}
    for deputy in attendees:
        activity_record(
            deputy=deputy,
            kind=Activity.Kind.STATION_DUTY,
            date=shift.date,
            title=title,
            hours=hours,
            source_key=source,
        )
    activities_withdraw(source_key=source, keep=[d.pk for d in attendees])
    received_at = timezone.make_aware(dt.datetime.combine(shift.date, dt.time(10, 0)))
    for data in receptions:
        reception_record(
            station=shift.station, shift=shift, data=data, by=by, received_at=received_at
        )
    reception_activities_sync(shift)
    return log


def reception_activities_sync(shift: DutyShift) -> None:
    """Each constituent received on a duty day counts once for each deputy on duty in
    that day's log (``reception:<pk>`` in their record); a deputy struck from the log
    loses the day's receptions too."""
    log = DutyLog.objects.filter(shift=shift).first()
    attendees = list(log.attendees.all()) if log is not None else []
    keep = [d.pk for d in attendees]
    title = _("Received a constituent at %(station)s") % {"station": shift.station.name}
    for reception_pk in Reception.objects.filter(shift=shift).values_list("pk", flat=True):
        source = f"reception:{reception_pk}"
        for deputy in attendees:
            activity_record(
                deputy=deputy,
                kind=Activity.Kind.RECEPTION,
                date=shift.date,
                title=title,
                source_key=source,
            )
        activities_withdraw(source_key=source, keep=keep)


# --- Photos kept across a failed save -----------------------------------------------------------
# A duty-log form sent with photos and refused for another field (an answer missing) would
# lose them: a browser never refills a file input. They are kept under a random name and
# the form carries a token for each, signed for the secretary who chose them, so the next
# save takes them without choosing them again; a token of someone else, or older than a
# day, is ignored.

HELD_PHOTOS = "stations/held/"
HELD_PHOTO_MAX_AGE = 24 * 3600


def _held_salt(by: User) -> str:
    return f"liaison_stations.held_photo:{by.pk}"


def duty_photos_hold(*, photos: Sequence[UploadedFile], by: User) -> list[str]:
    """Keep the acceptable ``photos`` of a form that was not saved; one token each."""
    tokens = []
    for photo in photos:
        try:
            _photo_check(photo, field="photos")
        except StationError:
            continue  # the form says why; a refused photo is not kept
        name = PurePath(photo.name or "photo").name
        photo.seek(0)
        path = default_storage.save(
            f"{HELD_PHOTOS}{secrets.token_hex(16)}{PurePath(name).suffix.lower()}", photo
        )
        tokens.append(signing.dumps({"path": path, "name": name}, salt=_held_salt(by)))
    return tokens


@dataclass
class HeldPhoto:
    token: str
    path: str
    name: str


def duty_photos_held(*, tokens: Sequence[str], by: User) -> list[HeldPhoto]:
    """The photos kept for ``by`` that the tokens name and that are still there."""
    held = []
    for token in tokens:
        try:
            data = signing.loads(token, salt=_held_salt(by), max_age=HELD_PHOTO_MAX_AGE)
        except signing.BadSignature:
            continue
        path = str(data.get("path", ""))
        if path.startswith(HELD_PHOTOS) and default_storage.exists(path):
            held.append(HeldPhoto(token=token, path=path, name=str(data.get("name", ""))))
    return held


def duty_photos_uploads(held: Sequence[HeldPhoto]) -> list[UploadedFile]:
    """The kept photos as uploads for ``duty_log_record``."""
    uploads: list[UploadedFile] = []
    for photo in held:
        with default_storage.open(photo.path, "rb") as file:
            uploads.append(SimpleUploadedFile(photo.name, file.read()))
    return uploads


def duty_photos_release(*, held: Sequence[HeldPhoto]) -> None:
    """Delete the kept copies once the duty log has its own."""
    for photo in held:
        default_storage.delete(photo.path)


# --- Public opinion form ------------------------------------------------------------------------


@transaction.atomic
def public_opinion_submit(
    *,
    station: Station,
    content: str,
    consent: bool,
    category: str = Reception.Category.OTHER,
    name: str = "",
    phone: str = "",
    village: str = "",
    submission: str = "",
) -> Reception:
    """An opinion left on the public station page: an online reception waiting in the
    secretary's inbox, and a notice to the secretaries who keep the station.

    ``submission`` is the id the form was shown with. The same form sent again (a double
    tap, a resend) is answered with the opinion already kept, which was announced once.
    The same form with other words is a new opinion: the browser's back button brings
    back the form of the opinion just sent, and the person writes another."""
    if not consent:
        raise StationError(_("Please agree to the use of your personal data."))
    if not station.is_active:
        raise StationError(_("This station is closed."))
    if submission:
        kept = Reception.objects.filter(station=station, submission=submission).first()
        if kept is not None:
            if kept.content == content.strip():
                return kept
            submission = ""
    data = ReceptionInput(
        channel=Reception.Channel.ONLINE,
        category=category,
        content=content,
        visitor_name=name,
        visitor_phone=phone,
        village=village,
    )
    try:
        with transaction.atomic():
            reception = reception_record(
                station=station, by=None, consent=True, data=data, submission=submission
            )
    except IntegrityError:
        # Two copies of one form at the same moment: the unique (station, submission)
        # made this one wait for the other and refused it; that one is kept and announced.
        return Reception.objects.get(station=station, submission=submission)
    _announce_opinion(reception)
    return reception


def _announce_opinion(reception: Reception) -> None:
    """Tell the station's secretaries that an opinion came in online: one notice each,
    linked to the opinion, recorded in the transaction that keeps it (so an opinion that
    is not kept announces nothing, and each one kept is announced once)."""
    station = reception.station
    with translation.override(settings.LANGUAGE_CODE):
        title = _("New online opinion at %(station)s") % {"station": station.name}
        body = _("%(category)s: %(content)s") % {
            "category": reception.get_category_display(),
            "content": Truncator(reception.content).chars(200),
        }
    notifications_send(
        users=selectors.station_keepers(station),
        kind=Kind.OPINION_RECEIVED,
        title=title,
        body=body,
        url=reverse("liaison_stations:reception", args=[reception.pk]),
        key=f"opinion:{reception.pk}",
    )
