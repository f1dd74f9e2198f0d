"""Writes to the deputies registry: records, mandates, the phone disclosure trail,
activities of the performance record and the .xlsx import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from deputies.models import Activity, Deputy, Level, Mandate
from organisation.models import Region, User


class DeputyError(Exception):
    """A rule of the deputies registry was broken; the message is safe to show."""


EDITABLE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_year",
    "party",
    "occupation",
    "work_unit",
    "phone",
    "region",
    "home_station",
    "is_active",
)


@transaction.atomic
def deputy_create(*, by: User | None = None, groups: Iterable = (), **fields: Any) -> Deputy:
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"photo", "user"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    deputy = Deputy(**fields)
    deputy._history_user = by  # type: ignore[attr-defined]
    deputy.save()
    deputy.groups.set(groups)
    if deputy.home_station_id:
        deputy.home_station.deputies.add(deputy)
    return deputy


@transaction.atomic
def deputy_update(
    *, deputy: Deputy, version: int, by: User | None, groups: Iterable | None = None, **fields: Any
) -> Deputy:
    """Change a record; ``version`` is the one the editor saw, so a concurrent change is
    reported instead of overwritten."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"photo"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    updated = Deputy.objects.filter(pk=deputy.pk, version=version).update(
        version=F("version") + 1, **{k: v for k, v in fields.items() if k != "photo"}
    )
    if not updated:
        raise DeputyError(
            _("Someone else changed this record while you were editing it. Reload and try again.")
        )
    deputy.refresh_from_db()
    if fields.get("photo"):
        deputy.photo = fields["photo"]
        deputy.save_without_historical_record(update_fields=["photo"])
    # .update() bypasses simple_history, so the change is recorded here, once.
    Deputy.history.bulk_history_create([deputy], update=True, default_user=by)
    if groups is not None:
        deputy.groups.set(groups)
    if deputy.home_station_id:
        deputy.home_station.deputies.add(deputy)
    return deputy


def deputy_phone_reveal(*, deputy: Deputy, user: User) -> str:
    """The full phone number, for someone allowed to see it; each reveal is an entry in
    the record's history (who, when) without changing the record."""
    if not deputy.phone_visible_to(user):
        raise DeputyError(_("You may not see this phone number."))
    Deputy.history.bulk_history_create(
        [deputy],
        update=True,
        default_user=user,
        default_change_reason=_("Full phone number viewed"),
    )
    return deputy.phone


def mandate_add(
    *,
    deputy: Deputy,
    level: str,
    congress: str,
    region: Region,
    district: str = "",
    term_start: int | None = None,
    term_end: int | None = None,
) -> Mandate:
    if level not in Level.values:
        raise DeputyError(_("Unknown level."))
    return Mandate.objects.create(
        deputy=deputy,
        level=level,
        congress=congress,
        region=region,
        district=district,
        term_start=term_start,
        term_end=term_end,
    )


def activity_record(
    *,
    deputy: Deputy,
    kind: str,
    date: dt.date,
    title: str,
    hours: Decimal | None = None,
    source_key: str = "",
) -> Activity:
    """Add an entry to the performance record. With a ``source_key`` the entry is kept
    once per source: recording the same duty log again updates it."""
    if source_key:
        activity, _created = Activity.objects.update_or_create(
            deputy=deputy,
            source_key=source_key,
            defaults={"kind": kind, "date": date, "title": title, "hours": hours},
        )
        return activity
    return Activity.objects.create(deputy=deputy, kind=kind, date=date, title=title, hours=hours)


def activities_withdraw(*, source_key: str, keep: Iterable[int] = ()) -> int:
    """Remove the entries of ``source_key`` except those of deputies in ``keep``
    (a deputy struck from a duty log loses that duty day)."""
    deleted, _rows = (
        Activity.objects.filter(source_key=source_key).exclude(deputy_id__in=list(keep)).delete()
    )
    return deleted


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


@dataclass
class ImportRowError:
    row: int
    column: str
    message: str


class DeputyImportError(DeputyError):
    def __init__(self, errors: list[ImportRowError]):
        super().__init__(_("Nothing was imported: %(count)d errors.") % {"count": len(errors)})
        self.errors = errors


def deputy_import_xlsx(*, file: IO[bytes], by: User | None) -> list[Deputy]:
    """Import deputies (one mandate each) from the template's columns. All or nothing:
    every row is checked first, and any error leaves the registry untouched."""
    from openpyxl import load_workbook

    from liaison_stations.models import Station

    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise DeputyError(_("The file is not an .xlsx workbook.")) from exc
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise DeputyError(_("The workbook is empty."))
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    labels = {label: key for key, label in IMPORT_COLUMNS}
    positions = {labels[h]: i for i, h in enumerate(header) if h in labels}
    missing = [label for key, label in IMPORT_COLUMNS if key not in positions]
    if missing:
        raise DeputyImportError(
            [ImportRowError(1, m, _("This column is missing from the header.")) for m in missing]
        )
    regions = {r.code: r for r in Region.objects.all()}
    stations = {s.code: s for s in Station.objects.all()}
    label = dict(IMPORT_COLUMNS)
    errors: list[ImportRowError] = []
    parsed: list[dict[str, Any]] = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        cell = {
            key: ("" if values[i] is None else str(values[i]).strip())
            for key, i in positions.items()
            if i < len(values)
        }

        def fail(key: str, message: str, number: int = number) -> None:
            errors.append(ImportRowError(number, label[key], message))

        row: dict[str, Any] = {}
        if not cell.get("name"):
            fail("name", _("A name is required."))
        row["name"] = cell.get("name", "")[:40]
        gender = GENDERS.get(cell.get("gender", ""))
        if gender is None:
            fail("gender", _("Write 男 or 女."))
        row["gender"] = gender
        row["ethnicity"] = cell.get("ethnicity") or "汉族"
        year = cell.get("birth_year", "")
        if year:
            try:
                row["birth_year"] = int(float(year))
                if not 1900 <= row["birth_year"] <= dt.date.today().year - 18:
                    raise ValueError
            except ValueError:
                fail("birth_year", _("Not a plausible year of birth."))
        for key in ("party", "occupation", "work_unit"):
            row[key] = cell.get(key, "")
        phone = cell.get("phone", "").removesuffix(".0")
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
            fail("phone", _("A phone number is 7 to 15 digits."))
        row["phone"] = phone
        region = regions.get(cell.get("region", "").removesuffix(".0"))
        if region is None:
            fail("region", _("No region has this code."))
        row["region"] = region
        level = LEVELS.get(cell.get("level", ""))
        if level is None:
            fail("level", _("Write one of 全国, 省, 市, 县, 乡镇."))
        row["level"] = level
        if not cell.get("congress"):
            fail("congress", _("Name the congress and its term."))
        row["congress"] = cell.get("congress", "")
        row["district"] = cell.get("district", "")
        station_code = cell.get("station", "")
        row["station"] = stations.get(station_code) if station_code else None
        if station_code and row["station"] is None:
            fail("station", _("No station has this code."))
        parsed.append(row)
    if errors:
        raise DeputyImportError(errors)
    if not parsed:
        raise DeputyError(_("The workbook has no rows below the header."))
    created = []
    with transaction.atomic():
        for row in parsed:
            deputy = deputy_create(
                by=by,
                name=row["name"],
                gender=row["gender"],
                ethnicity=row["ethnicity"],
                birth_year=row.get("birth_year"),
                party=row["party"],
                occupation=row["occupation"],
                work_unit=row["work_unit"],
                phone=row["phone"],
                region=row["region"],
                home_station=row["station"],
            )
            mandate_add(
                deputy=deputy,
                level=row["level"],
                congress=row["congress"],
                district=row["district"],
                region=row["region"],
            )
            created.append(deputy)
    return created


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
