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
from reports.charts import draw
from reports.fonts import cjk_face
from reports.sections import Chart, ReportPeriod, Section, Series, attention_top, sections_for


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    render_ms: int


def headline_chart(sections: list[Section]) -> Chart | None:
    """The modules' one ratio each (livelihood projects done, suggestions answered on
    time, rectification items done…) as percentage bars."""
    headlines = [h for s in sections for h in s.headlines]
    if not headlines:
        return None
    return Chart(
        title="重点工作主要指标",
        kind="bars",
        categories=[h.label for h in headlines],
        series=[Series("完成率", [h.percent for h in headlines])],
        unit="%",
        max_value=100,
        note="；".join(f"{h.label}{h.done}/{h.total}" for h in headlines),
        order=900,
    )


def summary_context(sections: list[Section]) -> dict:
    """What the first page and the charts page show, from every section's contribution."""
    charts = [c for s in sections for c in s.charts]
    headline = headline_chart(sections)
    if headline is not None:
        charts.append(headline)
    charts.sort(key=lambda c: c.order)
    return {
        "sentences": [line for s in sections for line in s.sentences],
        "key_figures": [f for s in sections for f in s.key_figures],
        "attention": attention_top([a for s in sections for a in s.attention]),
        "drawings": [draw(chart) for chart in charts],
        "chapters": [s for s in sections if s.template],
    }


def monthly_html(month: date) -> str:
    period = ReportPeriod(month=month.replace(day=1))
    with translation.override("zh-hans"):
        sections = sections_for(period)
        city = Region.objects.filter(level=Region.Level.CITY).order_by("path").first()
        sans = cjk_face()
        serif = cjk_face(serif=True)
        sans_family = sans.family if sans else "Noto Sans CJK SC"
        return render_to_string(
            "reports/pdf/monthly.html",
            {
                "period": period,
                "sections": sections,
                **summary_context(sections),
                "issuer": f"{city.name if city else ''}人大常委会办公室",
                "title": f"{month_label(period.month)}工作进展报告",
                "made_at": timezone.localtime(),
                "font_sans": sans_family,
                "font_serif": serif.family if serif else sans_family,
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
