"""The staff's spreadsheet: the template, import (validated row by row) and export.

The column headers are the staff's own Chinese headings and stay the same whatever the
interface language, because the file is a data format: an export made in English must
import again. Export writes exactly the columns import reads (plus two read-only
columns at the end), so a round trip keeps every task's definition.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from organisation.models import Unit, User
from organisation.roles import Role

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
LONG_TERM = "常态化"
LIST_SEPARATOR = "、"

# (header, key, required, width)
COLUMNS: list[tuple[str, str, bool, int]] = [
    ("方面序号", "aspect_number", True, 8),
    ("方面", "aspect_title", True, 24),
    ("序号", "number", True, 6),
    ("任务内容", "content", True, 50),
    ("预期成果", "expected_result", False, 30),
    ("牵头领导", "lead_leader", False, 10),
    ("牵头单位", "lead_unit", True, 18),
    ("配合单位", "cooperating_units", False, 24),
    ("完成时限", "deadline", True, 12),
    ("权重", "weight", False, 6),
    ("节点", "milestones", False, 30),
]
# Written by export for the reader, ignored by import.
EXPORT_ONLY = [("状态", 10), ("进度(%)", 8)]
HEADERS = [c[0] for c in COLUMNS]


@dataclass
class ParsedMilestone:
    due_date: datetime.date
    title: str


@dataclass
class ParsedTask:
    row: int
    aspect_number: int
    aspect_title: str
    number: int
    content: str
    expected_result: str
    lead_leader: User | None
    lead_unit: Unit
    cooperating_units: list[Unit]
    deadline: datetime.date | None
    is_long_term: bool
    weight: int
    milestones: list[ParsedMilestone] = field(default_factory=list)


@dataclass
class ImportError_:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:  # about the whole file, not a cell
            return self.message
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ParseResult:
    tasks: list[ParsedTask] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.tasks)

    @property
    def aspects(self) -> list[tuple[int, str, int]]:
        seen: dict[int, list] = {}
        for task in self.tasks:
            seen.setdefault(task.aspect_number, [task.aspect_title, 0])[1] += 1
        return [(n, title, count) for n, (title, count) in sorted(seen.items())]


# --- Template and export -------------------------------------------------------------------


def _sheet(title: str) -> tuple[Workbook, object]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    headers = HEADERS + [h for h, _w in EXPORT_ONLY]
    widths = [c[3] for c in COLUMNS] + [w for _h, w in EXPORT_ONLY]
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F4")
    sheet.freeze_panes = "A2"
    return workbook, sheet


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """An empty list with the headers and one example row the staff overwrite."""
    workbook, sheet = _sheet("任务清单")
    sheet.append(
        [
            1,
            "坚持党的全面领导",
            1,
            "（示例，请覆盖）组织常委会党组理论学习中心组专题学习",
            "全年开展专题学习不少于4次",
            "",
            "怀化市人大常委会办公室",
            "怀化市人大常委会研究室、怀化市人大常委会代表人事选举任免联络工作委员会",
            LONG_TERM,
            1,
            "2025-06-30 完成上半年专题学习",
        ]
    )
    notes = workbook.create_sheet("填写说明")
    for line in [
        "每行一项任务；方面序号相同的任务属于同一方面，方面名称须一致。",
        "序号在清单内不得重复。",
        "牵头单位、配合单位填写单位全称或简称；多个配合单位用“、”分隔。",
        "牵头领导填写常委会领导姓名，可空。",
        "完成时限填写日期（如 2025-12-31）或“常态化”。",
        "权重为 1–100 的整数，空白按 1 计。",
        "节点每行一个：日期 空格 名称，如“2025-06-30 完成调研”。",
        "“状态”“进度(%)”两列由导出生成，导入时忽略。",
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 80
    return _to_bytes(workbook)


def export_workbook(tasks: Iterable, status_labels: dict[str, str]) -> bytes:
    """The tasks as rows of the import format (tasks need aspect, units, leader, milestones)."""
    workbook, sheet = _sheet("任务清单")
    wrap = Alignment(wrap_text=True, vertical="top")
    for task in tasks:
        sheet.append(
            [
                task.aspect.number,
                task.aspect.title,
                task.number,
                task.content,
                task.expected_result,
                task.lead_leader.full_name if task.lead_leader else "",
                task.lead_unit.name,
                LIST_SEPARATOR.join(u.name for u in task.cooperating_units.all()),
                LONG_TERM if task.is_long_term else task.deadline,
                task.weight,
                "\n".join(f"{m.due_date:%Y-%m-%d} {m.title}" for m in task.milestones.all()),
                status_labels.get(getattr(task, "status", ""), ""),
                task.percent_done,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
        sheet.cell(row=sheet.max_row, column=9).number_format = "yyyy-mm-dd"
    return _to_bytes(workbook)


# --- Import ----------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


# The numbers of aspects and tasks, as a task's form allows (the column holds 32,767).
MAX_NUMBER = 9999


def _parse_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    # isdecimal, not isdigit: "²" is a digit to Python but no number to int().
    return int(text) if text.isascii() and text.isdecimal() else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Lookups:
    """Units and leaders by name, read once for the whole file."""

    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}
        for unit in Unit.objects.filter(is_active=True):
            self.units[unit.name] = unit
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)
        self.leaders: dict[str, list[User]] = {}
        for leader in User.objects.filter(role=Role.LEADER, is_active=True).filter(
            ~Q(full_name="")
        ):
            self.leaders.setdefault(leader.full_name, []).append(leader)


def parse_workbook(upload: UploadedFile) -> ParseResult:
    """Read and validate every row. Nothing is written; errors name the row and column."""
    result = ParseResult()

    def fail(row: int, column: str, message: str) -> ParseResult:
        result.errors.append(ImportError_(row, column, message))
        return result

    whole = _("(file)")
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        return fail(0, whole, _("The file is larger than 5 MB."))
    if not upload.size:
        return fail(0, whole, _("The file is empty."))
    upload.seek(0)
    data = upload.read()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return fail(0, whole, _("This is not an Excel .xlsx file."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        return fail(0, whole, _("This is not an Excel .xlsx file, or it is damaged."))
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return fail(1, whole, _("The sheet is empty."))
    header = [_text(h) for h in header]
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in positions:
            fail(1, name, _("This column appears twice."))
        if name:
            positions[name] = index
    known = set(HEADERS) | {h for h, _w in EXPORT_ONLY}
    for name in positions:
        if name not in known:
            fail(
                1,
                name,
                _("Unknown column. The columns are: %(columns)s.")
                % {"columns": "、".join(HEADERS)},
            )
    for name, _key, required, _w in COLUMNS:
        if required and name not in positions:
            fail(1, name, _("This required column is missing."))
    if result.errors:
        return result

    lookups = _Lookups()
    aspect_titles: dict[int, tuple[str, int]] = {}
    numbers: dict[int, int] = {}
    for row_number, values in enumerate(rows, start=2):
        if row_number > MAX_ROWS + 1:
            fail(row_number, whole, _("A list may have at most %(n)s rows.") % {"n": MAX_ROWS})
            break

        def cell(name: str, values=values):
            index = positions.get(name)
            return values[index] if index is not None and index < len(values) else None

        if all(_text(v) == "" for v in values):
            continue  # blank lines between aspects are common in the staff's files
        errors_before = len(result.errors)

        aspect_number = _parse_int(cell("方面序号"))
        if aspect_number is None or not 1 <= aspect_number <= MAX_NUMBER:
            fail(row_number, "方面序号", _("Give a whole number from 1 to 9999."))
            aspect_number = None
        aspect_title = _text(cell("方面"))
        if not aspect_title:
            fail(row_number, "方面", _("This cell is required."))
        elif aspect_number is not None:
            first = aspect_titles.setdefault(aspect_number, (aspect_title, row_number))
            if first[0] != aspect_title:
                fail(
                    row_number,
                    "方面",
                    _("Aspect %(n)s is called “%(title)s” in row %(row)s.")
                    % {"n": aspect_number, "title": first[0], "row": first[1]},
                )
        number = _parse_int(cell("序号"))
        if number is None or not 1 <= number <= MAX_NUMBER:
            fail(row_number, "序号", _("Give a whole number from 1 to 9999."))
        elif number in numbers:
            fail(
                row_number,
                "序号",
                _("Number %(n)s is already used in row %(row)s.")
                % {"n": number, "row": numbers[number]},
            )
        else:
            numbers[number] = row_number
        content = _text(cell("任务内容"))
        if not content:
            fail(row_number, "任务内容", _("This cell is required."))

        leader = None
        leader_name = _text(cell("牵头领导"))
        if leader_name:
            matches = lookups.leaders.get(leader_name, [])
            if not matches:
                fail(
                    row_number,
                    "牵头领导",
                    _("No committee leader is called “%(name)s”.") % {"name": leader_name},
                )
            elif len(matches) > 1:
                fail(
                    row_number,
                    "牵头领导",
                    _("Several leaders are called “%(name)s”.") % {"name": leader_name},
                )
            else:
                leader = matches[0]

        lead_unit = None
        lead_name = _text(cell("牵头单位"))
        if not lead_name:
            fail(row_number, "牵头单位", _("Every task needs a lead unit."))
        else:
            lead_unit = lookups.units.get(lead_name)
            if lead_unit is None:
                fail(row_number, "牵头单位", _("Unknown unit “%(name)s”.") % {"name": lead_name})

        cooperating: list[Unit] = []
        for name in re.split(r"[、,，;；\n]+", _text(cell("配合单位"))):
            name = name.strip()
            if not name:
                continue
            unit = lookups.units.get(name)
            if unit is None:
                fail(row_number, "配合单位", _("Unknown unit “%(name)s”.") % {"name": name})
            elif unit != lead_unit and unit not in cooperating:
                cooperating.append(unit)

        raw_deadline = cell("完成时限")
        deadline, long_term = None, False
        if _text(raw_deadline) == LONG_TERM:
            long_term = True
        elif _text(raw_deadline) == "":
            fail(row_number, "完成时限", _("Give a date or “常态化” (long-term)."))
        else:
            deadline = _parse_date(raw_deadline)
            if deadline is None:
                fail(row_number, "完成时限", _("Not a date: write it as 2025-12-31, or “常态化”."))

        weight = 1
        if _text(cell("权重")):
            weight = _parse_int(cell("权重"))
            if weight is None or not 1 <= weight <= 100:
                fail(row_number, "权重", _("Give a whole number from 1 to 100."))

        milestones: list[ParsedMilestone] = []
        for line in _text(cell("节点")).splitlines():
            line = line.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            due = _parse_date(day)
            if due is None or not title.strip():
                fail(
                    row_number,
                    "节点",
                    _("Write each milestone as a date, a space and a title: “%(line)s”.")
                    % {"line": line},
                )
            else:
                milestones.append(ParsedMilestone(due, title.strip()[:200]))

        if len(result.errors) == errors_before:
            result.tasks.append(
                ParsedTask(
                    row=row_number,
                    aspect_number=aspect_number,
                    aspect_title=aspect_title[:200],
                    number=number,
                    content=content,
                    expected_result=_text(cell("预期成果")),
                    lead_leader=leader,
                    lead_unit=lead_unit,
                    cooperating_units=cooperating,
                    deadline=deadline,
                    is_long_term=long_term,
                    weight=weight,
                    milestones=milestones,
                )
            )
    if not result.tasks and not result.errors:
        fail(2, whole, _("The sheet has headers but no tasks."))
    return result
