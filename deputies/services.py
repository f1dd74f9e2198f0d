"""Writes to the deputies registry: records, mandates, the phone disclosure trail,
activities of the performance record and the .xlsx import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import IO, Any, Literal, TypedDict, Unpack

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress_portal.edits import change_reason, record_history, versioned_update
from congress_portal.errors import DomainError
from congress_portal.import_jobs import RowsRefused, import_job_queue, import_job_run
from congress_portal.spreadsheets import (
    CellError,
    Column,
    Row,
    Sheet,
    SheetUnreadable,
    as_text,
    count_rows,
    field_of,
)
from deputies.models import (
    REGION_LEVEL_OF,
    Activity,
    Deputy,
    DeputyImportJob,
    Level,
    Mandate,
    PointRule,
    VoterReport,
)
from deputies.station_directory import stations
from organisation.models import Region, User


class DeputyError(DomainError):
    """A rule of the deputies registry was broken; the message is safe to show."""


class DeputyFields(TypedDict, total=False):
    """What the office or the region's secretary may change on a record; ``deputy_update``
    takes any of them."""

    name: str
    gender: str
    ethnicity: str
    birth_year: int | None
    party: str
    occupation: str
    work_unit: str
    phone: str
    region: Region
    #: A station the directory handed out (deputies/station_directory.py), or None.
    home_station: Any
    is_active: bool
    #: An uploaded image to store, False to remove the photo; absent keeps it.
    photo: UploadedFile | Literal[False]


@transaction.atomic
def deputy_update(
    *,
    deputy: Deputy,
    version: int,
    by: User | None,
    groups: Iterable | None = None,
    **changes: Unpack[DeputyFields],
) -> Deputy:
    """Change a record; ``version`` is the one the editor saw, so a concurrent change is
    reported instead of overwritten (on PostgreSQL a concurrent UPDATE waits for the
    first transaction and then finds the version moved on).

    ``photo`` is an uploaded image to store, ``False`` to remove the photo, or absent
    to keep it."""
    fields: dict[str, Any] = dict(changes)
    for name in ("name", "ethnicity", "party", "occupation", "work_unit", "phone"):
        if name in fields:
            fields[name] = fields[name].strip()
    if fields.get("name") == "":
        raise DeputyError(_("A deputy needs a name."), field="name")
    photo = fields.pop("photo", None)
    home_given, home = "home_station" in fields, fields.pop("home_station", None)
    phone_changed = "phone" in fields and fields["phone"] != deputy.phone
    deputy = versioned_update(deputy, version=version, values=fields, error=DeputyError)
    if photo is False:
        deputy.photo = ""
        deputy.save_without_historical_record(update_fields=["photo"])  # type: ignore[attr-defined]
    elif photo:
        deputy.photo = photo
        deputy.save_without_historical_record(update_fields=["photo"])  # type: ignore[attr-defined]
    reason = ""
    if groups is not None:
        groups = list(groups)
        before = set(deputy.groups.values_list("pk", flat=True))
        if before != {g.pk for g in groups}:
            deputy.groups.set(groups)
            names = "、".join(sorted(g.name for g in groups)) or "—"
            # The M2M is not in the historical row: say which groups in the reason.
            reason = _("Professional groups: %(names)s") % {"names": names}
    if phone_changed:
        # The number itself is kept out of the history; that it changed is not.
        reason = change_reason(reason, _("Phone number changed"))
    if home_given and home != stations().home_station_of(deputy):
        # The home station is a membership of liaison_stations, not a column of the
        # record: the history says so in the reason.
        stations().home_stations_set({deputy.pk: home.pk if home else None})
        reason = change_reason(reason, _("Home station: %(name)s") % {"name": home or "—"})
    record_history(deputy, by=by, reason=reason)
    return deputy


def deputy_phone_reveal(*, deputy: Deputy, user: User) -> str:
    """The full phone number, for someone allowed to see it; each reveal is an entry in
    the record's history (who, when) without changing the record."""
    if not deputy.phone_visible_to(user):
        raise DeputyError(_("You may not see this phone number."), forbidden=True)
    Deputy.history.bulk_history_create(
        [deputy],
        update=True,
        default_user=user,
        default_change_reason=_("Full phone number viewed"),
    )
    return deputy.phone


def _mandate_label(mandate: Mandate) -> str:
    return f"{mandate.get_level_display()} · {mandate.congress}"


def _note_on_deputy(deputy: Deputy, by: User | None, reason: str) -> None:
    """Seats are rows of their own; an entry on the deputy's history (shown on the
    record page) says what happened to them, without changing the record's version."""
    record_history(deputy, by=by, reason=reason)


@transaction.atomic
def mandate_add(
    *,
    deputy: Deputy,
    level: str,
    congress: str,
    region: Region,
    district: str = "",
    term_start: int | None = None,
    term_end: int | None = None,
    started_on: dt.date | None = None,
    by: User | None = None,
) -> Mandate:
    """A new seat. The region must be of the level's kind (a county seat sits with a
    county), and nobody holds two seats of one level at once."""
    if level not in Level.values:
        raise DeputyError(_("Unknown level."), field="level")
    congress = congress.strip()
    if not congress:
        raise DeputyError(_("Name the congress and its term."), field="congress")
    if region.level != REGION_LEVEL_OF[level]:
        raise DeputyError(
            _("A %(level)s seat belongs to a region of the kind “%(kind)s”.")
            % {
                "level": Level(level).label,
                "kind": Region.Level(REGION_LEVEL_OF[level]).label,
            },
            field="region",
        )
    if term_start and term_end and term_end < term_start:
        raise DeputyError(_("The term cannot end before it starts."), field="term_end")
    if Mandate.objects.active().filter(deputy=deputy, level=level).exists():
        raise _level_taken(level)
    mandate = Mandate(
        deputy=deputy,
        level=level,
        congress=congress,
        region=region,
        district=district.strip(),
        term_start=term_start,
        term_end=term_end,
        started_on=started_on,
    )
    mandate._history_user = by  # type: ignore[attr-defined]
    try:
        # The partial unique index settles two editors adding the same level at once.
        with transaction.atomic():
            mandate.save()
    except IntegrityError as exc:
        raise _level_taken(level) from exc
    if by is not None:
        _note_on_deputy(deputy, by, _("Mandate added: %(m)s") % {"m": _mandate_label(mandate)})
    return mandate


def _level_taken(level: str) -> DeputyError:
    return DeputyError(
        _("This deputy already holds a %(level)s seat; end it before adding another.")
        % {"level": Level(level).label}
    )


@transaction.atomic
def mandate_end(*, mandate: Mandate, ended_on: dt.date, by: User | None) -> Mandate:
    """The seat is no longer held from ``ended_on``; it stays in the record."""
    if ended_on > timezone.localdate():
        raise DeputyError(_("A seat cannot end in the future."), field="ended_on")
    if mandate.term_start and ended_on.year < mandate.term_start:
        raise DeputyError(_("A seat cannot end before its term starts."), field="ended_on")
    # Conditional, so a seat ended by someone else a moment ago is reported, not re-dated.
    if not Mandate.objects.filter(pk=mandate.pk, ended_on__isnull=True).update(ended_on=ended_on):
        raise DeputyError(_("This seat has already ended."), field="ended_on", conflict=True)
    mandate.refresh_from_db()
    Mandate.history.bulk_history_create([mandate], update=True, default_user=by)
    _note_on_deputy(
        mandate.deputy,
        by,
        _("Mandate ended on %(date)s: %(m)s")
        % {"date": ended_on.isoformat(), "m": _mandate_label(mandate)},
    )
    return mandate


@transaction.atomic
def mandate_remove(*, mandate: Mandate, by: User | None) -> None:
    """Delete a seat entered by mistake (a seat that was held is ended, not removed);
    its own history keeps the deleted row."""
    label = _mandate_label(mandate)
    deputy = mandate.deputy
    mandate._history_user = by  # type: ignore[attr-defined]
    mandate.delete()
    _note_on_deputy(deputy, by, _("Mandate removed: %(m)s") % {"m": label})


def activity_record(
    *,
    deputy: Deputy,
    kind: str,
    date: dt.date,
    title: str,
    hours: Decimal | None = None,
    source_key: str = "",
) -> Activity:
    """Add an entry to the performance record, with the points of the rule valid on its
    date. With a ``source_key`` the entry is kept once per source: recording the same
    duty log again updates it. The one path every module's activities take."""
    points = rule_points(kind=kind, date=date)
    if source_key:
        activity, _created = Activity.objects.update_or_create(
            deputy=deputy,
            source_key=source_key,
            defaults={
                "kind": kind,
                "date": date,
                "title": title[:120],
                "hours": hours,
                "points": points,
            },
        )
        return activity
    return Activity.objects.create(
        deputy=deputy, kind=kind, date=date, title=title[:120], hours=hours, points=points
    )


def activities_withdraw(*, source_key: str, keep: Iterable[int] = ()) -> int:
    """Remove the entries of ``source_key`` except those of deputies in ``keep``
    (a deputy struck from a duty log loses that duty day)."""
    deleted, _rows = (
        Activity.objects.filter(source_key=source_key).exclude(deputy_id__in=list(keep)).delete()
    )
    return deleted


def activity_withdraw(*, deputy: Deputy, source_key: str) -> int:
    """Remove one deputy's entry of ``source_key`` (a check-in taken back)."""
    deleted, _rows = Activity.objects.filter(deputy=deputy, source_key=source_key).delete()
    return deleted


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx")


@transaction.atomic
def activity_enter(
    *,
    deputy: Deputy,
    kind: str,
    date: dt.date,
    title: str,
    by: User,
    hours: Decimal | None = None,
    notes: str = "",
    evidence: UploadedFile | None = None,
) -> Activity:
    """An entry no module makes — a meeting attended, training, a visit, research —
    recorded by staff or the region's secretary, with a document or photo as evidence.
    (Who may record for which deputy is checked by the view's scoping.)"""
    if kind not in Activity.MANUAL_KINDS:
        raise DeputyError(_("This kind of activity is recorded by its own module."), field="kind")
    if date > timezone.localdate():
        raise DeputyError(_("An activity is recorded once it has taken place."), field="date")
    if not title.strip():
        raise DeputyError(_("Say what the activity was."), field="title")
    if evidence is None:
        raise DeputyError(
            _("Attach the evidence: a notice, a sign-in sheet or a photo."), field="evidence"
        )
    name = (evidence.name or "").lower()
    if not name.endswith(EVIDENCE_TYPES):
        raise DeputyError(_("Evidence is a PDF, Word document or photo."), field="evidence")
    if evidence.size and evidence.size > EVIDENCE_MAX_BYTES:
        raise DeputyError(_("The evidence file is larger than 10 MB."), field="evidence")
    activity = Activity(
        deputy=deputy,
        kind=kind,
        date=date,
        title=title.strip()[:120],
        hours=hours,
        notes=notes.strip(),
        evidence=evidence,
        recorded_by=by,
        points=rule_points(kind=kind, date=date),
    )
    activity._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    activity.save()
    return activity


def activity_delete(*, activity: Activity, by: User) -> None:
    """Take back an entry recorded by hand (a module's entries follow their source)."""
    if activity.source_key:
        raise DeputyError(_("This entry follows its source and cannot be removed here."))
    activity._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    activity.delete()


# --- The points table 积分 ------------------------------------------------------------------


def rule_points(*, kind: str, date: dt.date) -> Decimal | None:
    """The points of the rule for ``kind`` valid on ``date`` (None without one)."""
    return (
        PointRule.objects.valid_on(date)
        .filter(kind=kind)
        .order_by("-valid_from")
        .values_list("points", flat=True)
        .first()
    )


@transaction.atomic
def points_apply(*, kind: str | None = None) -> int:
    """Set every activity's points (of ``kind``, or of all) to those of the rule valid on
    its date: one UPDATE per line of the points table over the entries of its kind and
    period, and one clearing the entries no line covers — after the table changes, and
    after bulk inserts that left points empty (the demo). The number of statements
    follows the table, never the number of entries. A rule for next year leaves this
    year's entries as they are, since each entry reads the rule of its own date."""
    activities = Activity.objects.all()
    rules = PointRule.objects.order_by("kind", "valid_from")
    if kind is not None:
        activities = activities.filter(kind=kind)
        rules = rules.filter(kind=kind)
    changed = 0
    covered = Q(pk__in=[])
    for rule in rules:
        period = Q(kind=rule.kind, date__gte=rule.valid_from)
        if rule.valid_to is not None:
            period &= Q(date__lte=rule.valid_to)
        covered |= period
        changed += activities.filter(period).exclude(points=rule.points).update(points=rule.points)
    changed += activities.filter(points__isnull=False).exclude(covered).update(points=None)
    return changed


@transaction.atomic
def point_rule_save(*, rule: PointRule, by: User | None) -> PointRule:
    """Save a line of the points table (checked: no overlap) and re-price the entries
    of its kind; the previous kind too, when it was changed."""
    rule.full_clean()
    before = PointRule.objects.filter(pk=rule.pk).values_list("kind", flat=True).first()
    rule._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    rule.save()
    for kind in {rule.kind, before} - {None}:
        points_apply(kind=kind)
    return rule


@transaction.atomic
def point_rule_delete(*, rule: PointRule, by: User | None) -> None:
    kind = rule.kind
    rule._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    rule.delete()
    points_apply(kind=kind)


# --- Reports to voters 述职评议 -------------------------------------------------------------


def _seat_of(deputy: Deputy, level: str, year: int) -> Mandate | None:
    day = min(timezone.localdate(), dt.date(year, 12, 31))
    return (
        Mandate.objects.active_on(day)
        .filter(deputy=deputy, level=level)
        .select_related("region")
        .first()
    )


@transaction.atomic
def voter_report_plan(*, deputy: Deputy, level: str, year: int, by: User) -> VoterReport:
    """Name a deputy in the yearly plan of the congress of their seat at ``level``."""
    mandate = _seat_of(deputy, level, year)
    if mandate is None:
        raise DeputyError(_("The deputy holds no seat at this level that year."), field="deputy")
    if VoterReport.objects.filter(deputy=deputy, level=level, year=year).exists():
        raise DeputyError(_("The deputy is already in this year's plan."), field="deputy")
    report = VoterReport(deputy=deputy, level=level, region=mandate.region, year=year)
    report._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    report.save()
    return report


def voter_report_unplan(*, report: VoterReport, by: User) -> None:
    if report.status == VoterReport.Status.HELD:
        raise DeputyError(_("A report already held stays in the record."), conflict=True)
    report._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    report.delete()


@transaction.atomic
def voter_report_hold(
    *,
    report: VoterReport,
    version: int,
    by: User,
    held_on: dt.date,
    meeting: str,
    text: str,
    voters_present: int,
    satisfied: int,
    basic: int,
    unsatisfied: int,
) -> VoterReport:
    """Record the report as held: its text, the meeting, the voters present and their
    ratings 满意/基本满意/不满意; it goes into the deputy's record with its ratings."""
    if held_on > timezone.localdate():
        raise DeputyError(_("A report is recorded once it has been held."), field="held_on")
    if held_on.year != report.year:
        raise DeputyError(_("The report is held in the year of the plan."), field="held_on")
    if not meeting.strip():
        raise DeputyError(_("Name the meeting."), field="meeting")
    if not text.strip():
        raise DeputyError(_("Give the text of the report."), field="text")
    if voters_present < 1:
        raise DeputyError(_("Give the number of voters present."), field="voters_present")
    if satisfied + basic + unsatisfied > voters_present:
        raise DeputyError(_("More ratings than voters present."), field="unsatisfied")
    values = {
        "status": VoterReport.Status.HELD,
        "held_on": held_on,
        "meeting": meeting.strip()[:120],
        "text": text.strip(),
        "voters_present": voters_present,
        "satisfied": satisfied,
        "basic": basic,
        "unsatisfied": unsatisfied,
    }
    report = versioned_update(report, version=version, values=values, error=DeputyError)
    record_history(report, by=by)
    activity_record(
        deputy=report.deputy,
        kind=Activity.Kind.VOTER_REPORT,
        date=held_on,
        title=voter_report_title(report),
        source_key=f"voter_report:{report.pk}",
    )
    return report


def voter_report_title(report: VoterReport) -> str:
    return _(
        "Reported to voters at %(meeting)s: %(present)s present, %(s)s satisfied, "
        "%(b)s basically satisfied, %(u)s unsatisfied"
    ) % {
        "meeting": report.meeting,
        "present": report.voters_present,
        "s": report.satisfied,
        "b": report.basic,
        "u": report.unsatisfied,
    }


# --- Bulk import from .xlsx ---------------------------------------------------------------

IMPORT_COLUMNS = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_year", "出生年份"),
    ("party", "党派"),
    ("occupation", "职业"),
    ("work_unit", "工作单位"),
    ("phone", "手机"),
    ("region", "地区代码"),
    ("level", "代表层级"),
    ("congress", "代表大会及届次"),
    ("district", "选区或代表团"),
    ("station", "联络站代码"),
]
GENDERS = {"男": Deputy.Gender.MALE, "女": Deputy.Gender.FEMALE, "m": "m", "f": "f"}
LEVELS = {
    "全国": Level.NATIONAL,
    "省": Level.PROVINCIAL,
    "市": Level.CITY,
    "县": Level.COUNTY,
    "乡": Level.TOWNSHIP,
    "乡镇": Level.TOWNSHIP,
    **{value: value for value in Level.values},
}


class DeputyImportError(DeputyError):
    def __init__(self, errors: list[CellError]):
        super().__init__(_("Nothing was imported: %(count)d errors.") % {"count": len(errors)})
        self.errors = errors


def _import_columns() -> list[Column]:
    """The template's columns, each with the model field its cells go to (the sheet
    reader checks lengths, ranges and choices against it)."""
    fields = {
        "name": field_of(Deputy, "name"),
        "gender": field_of(Deputy, "gender"),
        "ethnicity": field_of(Deputy, "ethnicity"),
        "birth_year": field_of(Deputy, "birth_year"),
        "party": field_of(Deputy, "party"),
        "occupation": field_of(Deputy, "occupation"),
        "work_unit": field_of(Deputy, "work_unit"),
        "phone": field_of(Deputy, "phone"),
        "level": field_of(Mandate, "level"),
        "congress": field_of(Mandate, "congress"),
        "district": field_of(Mandate, "district"),
    }
    return [Column(label, fields.get(key)) for key, label in IMPORT_COLUMNS]


def deputy_import_xlsx(*, file: IO[bytes], by: User | None) -> list[Deputy]:
    """Import deputies (one mandate each) from the template's columns. All or nothing:
    every row is checked first, and any error leaves the registry untouched."""
    return _import_rows(deputy_import_check(file=file), by=by)


def deputy_import_check(
    *, file: IO[bytes], progress: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """Every row of ``file`` checked, as the values of a deputy and a mandate; the
    problems of all rows in one :class:`DeputyImportError`. ``progress`` hears how many
    rows were read now and then."""
    try:
        sheet = Sheet(file, _import_columns())
    except SheetUnreadable as exc:
        raise DeputyError(_("The file is not an .xlsx workbook."), field="file") from exc
    with sheet:
        if sheet.is_empty:
            raise DeputyError(_("The workbook is empty."), field="file")
        if sheet.errors:
            raise DeputyImportError(sheet.errors)
        parsed = _import_check(
            sheet, station_ids=stations().station_ids_by_code(), progress=progress
        )
    label = dict(IMPORT_COLUMNS)
    _flag_duplicates(
        parsed,
        fail=lambda number, message: sheet.errors.append(CellError(number, label["name"], message)),
    )
    if sheet.errors:
        raise DeputyImportError(sorted(sheet.errors, key=lambda e: e.row))
    if not parsed:
        raise DeputyError(_("The workbook has no rows below the header."), field="file")
    return parsed


def deputy_import_queue(*, file: IO[bytes], by: User) -> DeputyImportJob | None:
    """Queue the import of ``file`` as a job when it has more rows than a request
    should read (``IMPORT_IN_BACKGROUND_ROWS``); ``None`` when it has not."""
    from deputies.jobs import import_deputies

    rows = count_rows(file, _import_columns())
    if rows <= settings.IMPORT_IN_BACKGROUND_ROWS:
        return None
    return import_job_queue(
        model=DeputyImportJob, file=file, total=rows, by=by, job=import_deputies
    )


def deputy_import_run(*, job_id: int) -> DeputyImportJob | None:
    """The import job's body: check every row, then save them all, or nothing."""

    def check(
        job: DeputyImportJob, file: IO[bytes], progress: Callable[[int], None]
    ) -> list[dict[str, Any]]:
        try:
            return deputy_import_check(file=file, progress=progress)
        except DeputyImportError as error:
            raise RowsRefused(str(error), error.errors) from error

    def save(job: DeputyImportJob, parsed: list[dict[str, Any]]) -> str:
        created = _import_rows(parsed, by=job.started_by)
        return _("%(count)d deputies imported.") % {"count": len(created)}

    return import_job_run(model=DeputyImportJob, pk=job_id, check=check, save=save)


def _import_check(
    sheet: Sheet,
    *,
    station_ids: dict[str, int],
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """The rows of ``sheet`` as the values of a deputy and a mandate; each problem is
    recorded on the sheet by row and column."""
    regions = {r.code: r for r in Region.objects.all()}
    label = dict(IMPORT_COLUMNS)
    parsed: list[dict[str, Any]] = []
    for cells in sheet.rows(progress=progress):

        def text(key: str, *, required: str | None = None, cells: Row = cells) -> str:
            return cells.text(label[key], required=required)

        def fail(key: str, message: str, cells: Row = cells) -> None:
            cells.fail(label[key], message)

        row: dict[str, Any] = {"number": cells.number}
        row["name"] = text("name", required=_("A name is required."))
        row["gender"] = cells.choice(label["gender"], GENDERS, message=_("Write 男 or 女."))
        row["ethnicity"] = text("ethnicity") or "汉族"
        row["birth_year"] = cells.integer(
            label["birth_year"],
            low=1900,
            high=dt.date.today().year - 18,
            message=_("Not a plausible year of birth."),
            optional=True,
        )
        for key in ("party", "occupation", "work_unit"):
            row[key] = text(key)
        phone = as_text(cells.raw(label["phone"]))
        if phone and not (phone.isascii() and phone.isdecimal() and 7 <= len(phone) <= 15):
            fail("phone", _("A phone number is 7 to 15 digits."))
            phone = ""
        row["phone"] = text("phone") if phone else ""
        region = regions.get(as_text(cells.raw(label["region"])))
        if region is None:
            fail("region", _("No region has this code."))
        row["region"] = region
        level = cells.choice(
            label["level"], LEVELS, message=_("Write one of 全国, 省, 市, 县, 乡镇.")
        )
        row["level"] = level
        if region is not None and level is not None and region.level != REGION_LEVEL_OF[level]:
            fail("region", _("This region's kind does not match the level."))
        row["congress"] = text("congress", required=_("Name the congress and its term."))
        row["district"] = text("district")
        station_code = as_text(cells.raw(label["station"]))
        row["station"] = station_ids.get(station_code) if station_code else None
        if station_code and row["station"] is None:
            fail("station", _("No station has this code."))
        parsed.append(row)
    return parsed


def _identity(name: str, birth_year: int | None, region_id: int | None) -> tuple:
    return (name, birth_year, region_id)


def _flag_duplicates(parsed: list[dict[str, Any]], fail: Callable[[int, str], None]) -> None:
    """A person already in the registry, or twice in the file, is an error on that row:
    importing the same workbook twice (or a double click) must not register anyone twice.
    A person is the same name, year of birth and region."""
    wanted = {
        _identity(r["name"], r.get("birth_year"), getattr(r["region"], "pk", None)) for r in parsed
    }
    existing = {
        _identity(*values)
        for values in Deputy.objects.filter(name__in={w[0] for w in wanted}).values_list(
            "name", "birth_year", "region_id"
        )
    }
    seen: dict[tuple, int] = {}
    for row in parsed:
        key = _identity(row["name"], row.get("birth_year"), getattr(row["region"], "pk", None))
        if key in existing:
            fail(row["number"], _("This deputy is already in the registry."))
        elif key in seen:
            fail(row["number"], _("The same deputy is on row %(row)s.") % {"row": seen[key]})
        else:
            seen[key] = row["number"]


def _import_rows(parsed: list[dict[str, Any]], *, by: User | None) -> list[Deputy]:
    """Save checked rows in a handful of statements whatever their number (a county
    imports thousands at a time), with their history."""
    deputies = [
        Deputy(
            name=row["name"],
            gender=row["gender"],
            ethnicity=row["ethnicity"],
            birth_year=row.get("birth_year"),
            party=row["party"],
            occupation=row["occupation"],
            work_unit=row["work_unit"],
            phone=row["phone"],
            region=row["region"],
        )
        for row in parsed
    ]
    with transaction.atomic():
        Deputy.objects.bulk_create(deputies, batch_size=500)
        Deputy.history.bulk_history_create(deputies, default_user=by)
        mandates = [
            Mandate(
                deputy=deputy,
                level=row["level"],
                congress=row["congress"].strip(),
                district=row["district"].strip(),
                region=row["region"],
            )
            for deputy, row in zip(deputies, parsed, strict=True)
        ]
        Mandate.objects.bulk_create(mandates, batch_size=500)
        Mandate.history.bulk_history_create(mandates, default_user=by)
        stations().home_stations_set(
            {
                d.pk: row["station"]
                for d, row in zip(deputies, parsed, strict=True)
                if row["station"]
            }
        )
    return deputies


def import_template() -> bytes:
    """An empty workbook with the import columns and one example row."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "代表名册"
    sheet.append([label for _key, label in IMPORT_COLUMNS])
    sheet.append(
        [
            "陈春花",
            "女",
            "苗族",
            1978,
            "中共党员",
            "村党支部书记",
            "黄茅园镇金中村",
            "13807451234",
            "431224102",
            "乡镇",
            "黄茅园镇第七届人民代表大会",
            "金中村选区",
            "",
        ]
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
