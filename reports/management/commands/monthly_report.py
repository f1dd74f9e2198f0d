"""python manage.py monthly_report --month 2025-03 [--output FILE]

Makes the monthly progress report in this process, through the same service the
Celery job calls, stores it like any other and optionally copies it to FILE.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reports.services import report_write_to


def month_argument(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--month must look like 2025-03, not {value!r}") from error


class Command(BaseCommand):
    help = "Make the monthly progress report (月度工作进展报告) of one month, in-process."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2025-03")
        parser.add_argument("--output", help="also write the PDF to this file")

    def handle(self, *args, month: str, output: str | None = None, **options):
        report = report_write_to(month=month_argument(month), path=output)
        self.stdout.write(
            f"{report.filename}: {report.pages} pages, {report.size} bytes, "
            f"rendered in {report.render_ms} ms, stored as {report.file.name}"
            + (f", written to {output}" if output else "")
        )
