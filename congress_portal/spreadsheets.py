"""The one reader of the staff's spreadsheets (the task-list import, the deputies import).

A workbook is untrusted input: a 51 KB file can declare a sheet of 16,384 columns and a
million rows, or put one cell at XFD1048576, and openpyxl pads every row it hands out to
the declared width. So the reader

- streams the first sheet (``read_only=True, data_only=True``) and reads the header over
  at most :data:`HEADER_WIDTH` columns, then every row only up to the last expected
  column (``iter_rows(max_col=…)``): what lies to the right is never read;
- stops at ``settings.IMPORT_MAX_ROWS`` rows below the header, with an error on the
  first row beyond (blank rows beyond the cap are skipped, as many as the cap);
- checks each cell against the model field it goes to (``Column.field``): the length of
  a ``CharField``, the range of an integer column and of its validators, a date, a
  choice. The limits are the model's, so they cannot drift from the columns;
- names every error by row and column (:class:`CellError`, one type for every import).

Nothing here knows an importer: each says which columns it reads and what a row means.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _
from openpyxl import load_workbook

# The header is read this far to the right (a header wider than this is not a template
# of ours); the rows only up to the last expected column.
HEADER_WIDTH = 64
# How often a long read reports its progress (an import job's page shows it), in rows.
PROGRESS_EVERY = 100


class SheetUnreadable(Exception):
    """The file is no .xlsx workbook, or is damaged; each importer says so its own way."""


@dataclass(frozen=True)
class CellError:
    """One problem, named by its row (1 is the header; 0: the whole file) and column."""

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


@dataclass(frozen=True)
class Column:
    """A column an import reads: its heading in the sheet and the model field its cells
    go to (``None`` for a cell that is looked up or parsed into something else)."""

    header: str
    field: models.Field | None = None
    required: bool = True  # the header must have it


def field_of(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):  # a reverse relation: no cell goes there
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def integer_range(field: models.Field) -> tuple[int | None, int | None]:
    """The values ``field`` holds on every database (the column type's range, as
    PostgreSQL enforces it, SQLite not) and its validators allow."""
    low, high = BaseDatabaseOperations.integer_field_ranges.get(
        field.get_internal_type(), (None, None)
    )
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and isinstance(validator.limit_value, int):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if isinstance(validator, MaxValueValidator) and isinstance(validator.limit_value, int):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


# --- Cell values ------------------------------------------------------------------------


def as_text(value: Any) -> str:
    """A cell as the text a person sees in it (12.0 is "12"), trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def as_int(value: Any) -> int | None:
    """A whole number, or ``None``. Text counts when it is ASCII digits only: "²" is a
    digit to ``str.isdigit()`` but no number to ``int()``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = as_text(value)
    if text.isascii() and text.isdecimal():
        return int(text)
    return None


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def as_date(value: Any) -> datetime.date | None:
    """A date cell, or text written as 2025-12-31, 2025/12/31, 2025.12.31 or 2025年12月31日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def too_long(text: str, field: models.Field | None) -> str | None:
    """The message for ``text`` longer than ``field`` holds, or ``None``."""
    limit = getattr(field, "max_length", None)
    if limit is not None and len(text) > limit:
        return _("At most %(limit)s characters; this cell has %(count)s.") % {
            "limit": limit,
            "count": len(text),
        }
    return None


# --- The sheet --------------------------------------------------------------------------


class Row:
    """One row below the header: its cells by heading, each read through a check that
    records a :class:`CellError` on the sheet when it fails."""

    def __init__(self, sheet: Sheet, number: int, values: tuple[Any, ...]) -> None:
        self.sheet = sheet
        self.number = number
        self.values = values
        self.errors_before = len(sheet.errors)

    @property
    def ok(self) -> bool:
        """No cell of this row has failed (so far)."""
        return len(self.sheet.errors) == self.errors_before

    def fail(self, header: str, message: str) -> None:
        self.sheet.errors.append(CellError(self.number, header, message))

    def raw(self, header: str) -> Any:
        index = self.sheet.positions.get(header)
        return self.values[index] if index is not None and index < len(self.values) else None

    def text(self, header: str, *, required: str | None = None) -> str:
        """The cell's text, no longer than its field holds; ``required`` is the message
        for an empty cell that must not be. On error, ``""``."""
        text = as_text(self.raw(header))
        if not text and required:
            self.fail(header, required)
        elif message := too_long(text, self.sheet.fields.get(header)):
            self.fail(header, message)
            return ""
        return text

    def integer(
        self,
        header: str,
        *,
        low: int | None = None,
        high: int | None = None,
        message: str | None = None,
        optional: bool = False,
    ) -> int | None:
        """The cell's whole number within its field's range, narrowed by ``low`` and
        ``high`` (``message`` replaces the generic "from … to …"). An empty cell is
        ``None``, and an error unless ``optional``."""
        raw = self.raw(header)
        if optional and as_text(raw) == "":
            return None
        field = self.sheet.fields.get(header)
        field_low, field_high = integer_range(field) if field is not None else (None, None)
        if field_low is not None:
            low = field_low if low is None else max(low, field_low)
        if field_high is not None:
            high = field_high if high is None else min(high, field_high)
        number = as_int(raw)
        if (
            number is None
            or (low is not None and number < low)
            or (high is not None and number > high)
        ):
            if message is None:
                message = _("Give a whole number from %(low)s to %(high)s.") % {
                    "low": low,
                    "high": high,
                }
            self.fail(header, message)
            return None
        return number

    def choice(self, header: str, aliases: Mapping[str, str], *, message: str) -> str | None:
        """The stored value for the cell's text (``aliases`` maps what people write to
        a value), which must be one of the field's choices."""
        value = aliases.get(as_text(self.raw(header)))
        field = self.sheet.fields.get(header)
        allowed = (
            {str(key) for key, _label in field.flatchoices} if field and field.choices else None
        )
        if value is None or (allowed is not None and value not in allowed):
            self.fail(header, message)
            return None
        return value

    def date(self, header: str, *, message: str) -> datetime.date | None:
        value = as_date(self.raw(header))
        if value is None:
            self.fail(header, message)
        return value


class Sheet:
    """The first worksheet of an uploaded workbook, its header checked against
    ``columns``. Rows come from :meth:`rows`; every problem lands in :attr:`errors`.

    ``also`` are headings that may be there and are not read (an export's extra columns);
    ``strict`` refuses any other heading, and a heading twice.
    """

    def __init__(
        self,
        file: IO[bytes],
        columns: Sequence[Column],
        *,
        also: Sequence[str] = (),
        strict: bool = False,
        max_rows: int | None = None,
    ) -> None:
        self.columns = list(columns)
        self.fields = {c.header: c.field for c in columns if c.field is not None}
        self.max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
        self.errors: list[CellError] = []
        self.positions: dict[str, int] = {}
        self.is_empty = False
        self._workbook = None
        file.seek(0)
        if not zipfile.is_zipfile(file):
            raise SheetUnreadable
        file.seek(0)
        try:
            self._workbook = load_workbook(file, read_only=True, data_only=True)
            self._sheet = self._workbook.worksheets[0]
            header = next(
                self._sheet.iter_rows(min_row=1, max_row=1, max_col=HEADER_WIDTH, values_only=True),
                None,
            )
        except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
            self.close()
            raise SheetUnreadable from exc
        if header is None or all(as_text(h) == "" for h in header):
            self.is_empty = True
            return
        self._read_header([as_text(h) for h in header], also=also, strict=strict)

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the file (a read-only workbook keeps its archive open)."""
        workbook = getattr(self, "_workbook", None)
        if workbook is not None:
            workbook.close()

    def _read_header(self, header: list[str], *, also: Sequence[str], strict: bool) -> None:
        expected = [c.header for c in self.columns]
        for index, name in enumerate(header):
            if not name:
                continue
            if name in self.positions:
                if strict:
                    self.errors.append(CellError(1, name, _("This column appears twice.")))
                continue
            if name in expected:
                self.positions[name] = index
            elif strict and name not in also:
                self.errors.append(
                    CellError(
                        1,
                        name,
                        _("Unknown column. The columns are: %(columns)s.")
                        % {"columns": "、".join(expected)},
                    )
                )
        for column in self.columns:
            if column.required and column.header not in self.positions:
                self.errors.append(
                    CellError(1, column.header, _("This required column is missing."))
                )

    def rows(self, *, progress: Callable[[int], None] | None = None) -> Iterator[Row]:
        """The rows below the header that have something in the expected columns, at
        most ``max_rows`` of them; the first row beyond is an error and reading stops.
        ``progress`` hears how many rows were handed out, every :data:`PROGRESS_EVERY`."""
        if self.is_empty or not self.positions:
            return
        width = max(self.positions.values()) + 1
        last = self.max_rows + 1  # the header is row 1
        whole = _("(file)")
        rows = self._sheet.iter_rows(min_row=2, max_col=width, values_only=True)
        handed = 0
        for number, values in enumerate(rows, start=2):
            blank = all(as_text(v) == "" for v in values)
            if number > last and (not blank or number > last + self.max_rows):
                self.errors.append(
                    CellError(
                        number,
                        whole,
                        _("A sheet may have at most %(count)s rows below its header.")
                        % {"count": self.max_rows},
                    )
                )
                return
            if not blank:
                yield Row(self, number, values)
                handed += 1
                if progress is not None and handed % PROGRESS_EVERY == 0:
                    progress(handed)


def count_rows(file: IO[bytes], columns: Sequence[Column]) -> int:
    """How many rows an import of ``file`` would read (one more than the cap when there
    are too many), without checking a cell: whether it is long enough for a job. 0 for
    what is no workbook, whose import says why at once."""
    try:
        sheet = Sheet(file, columns)
    except SheetUnreadable:
        return 0
    with sheet:
        count = sum(1 for _row in sheet.rows())
        if len(sheet.errors) and sheet.errors[-1].row > 1:  # stopped at the cap
            count += 1
    file.seek(0)
    return count
