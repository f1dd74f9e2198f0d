"""The monthly progress report 月度工作进展报告 as a PDF, drawn by WeasyPrint.

The document is always Chinese, whatever the language of the person who asked for
it: it is an official paper of the committee. Everything it says comes from the
sections the modules contribute (:mod:`reports.sections`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from congress_portal.calendar_words import month_label
from organisation.models import Region
from reports.fonts import cjk_face
from reports.sections import ReportPeriod, sections_for


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    render_ms: int


def monthly_html(month: date) -> str:
    period = ReportPeriod(month=month.replace(day=1))
    with translation.override("zh-hans"):
        sections = sections_for(period)
        city = Region.objects.filter(level=Region.Level.CITY).order_by("path").first()
        face = cjk_face()
        return render_to_string(
            "reports/pdf/monthly.html",
            {
                "period": period,
                "sections": sections,
                "key_figures": [f for s in sections for f in s.key_figures],
                "issuer": f"{city.name if city else ''}人大常委会办公室",
                "title": f"{month_label(period.month)}工作进展报告",
                "made_at": timezone.localtime(),
                "font_family": face.family if face else "Noto Sans CJK SC",
            },
        )


def render_monthly(month: date) -> RenderedReport:
    started = time.perf_counter()
    html = monthly_html(month)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        font_config=FontConfiguration()
    )
    pdf = document.write_pdf()
    return RenderedReport(
        pdf=pdf,
        pages=len(document.pages),
        render_ms=round((time.perf_counter() - started) * 1000),
    )
