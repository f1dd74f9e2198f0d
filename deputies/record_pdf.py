"""The performance record 履职档案 of one deputy's year as an A4 PDF (one or two pages),
printable for a 述职 meeting; WeasyPrint with the CJK font the monthly report uses
(``reports.fonts``), always in Chinese."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from deputies.models import Deputy
from reports.fonts import cjk_face

#: The entries listed on paper; beyond this the list ends with "and N more".
PDF_ROWS = 45


@dataclass(frozen=True)
class RenderedRecord:
    pdf: bytes
    pages: int
    render_ms: int


def render_record(deputy: Deputy, year: int, context: dict) -> RenderedRecord:
    started = time.perf_counter()
    with translation.override("zh-hans"):
        face = cjk_face()
        activities = list(context["activities"])
        html = render_to_string(
            "deputies/pdf/record.html",
            {
                **context,
                "deputy": deputy,
                "year": year,
                "rows": activities[:PDF_ROWS],
                "more": max(0, len(activities) - PDF_ROWS),
                "made_at": timezone.localtime(),
                "font_family": face.family if face else "Noto Sans CJK SC",
            },
        )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        font_config=FontConfiguration()
    )
    pdf = document.write_pdf()
    return RenderedRecord(
        pdf=pdf,
        pages=len(document.pages),
        render_ms=round((time.perf_counter() - started) * 1000),
    )
