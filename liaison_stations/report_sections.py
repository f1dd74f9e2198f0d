"""The liaison stations' section of the monthly progress report (contributed in apps.py).

Texts are Chinese literals, not translated msgids: the report is always the
committee's Chinese document, whatever the language of the person who asks for it.
"""

from __future__ import annotations

import datetime as dt

from liaison_stations.models import Station
from liaison_stations.selectors import (
    duty_days_by_county,
    duty_days_held_vs_scheduled,
    reception_counts_by_category,
    reception_counts_by_month,
    reception_counts_by_station,
    resolved_share,
)
from organisation.models import Region
from reports.sections import Chart, KeyFigure, ReportPeriod, Section, Series


def sections(period: ReportPeriod) -> list[Section]:
    start = period.first_day
    end = period.last_day + dt.timedelta(days=1)
    station_count = Station.objects.filter(is_active=True).count()
    if not station_count:
        return []
    share = resolved_share(start=start, end=end)
    duty = duty_days_held_vs_scheduled(start=start, end=end)
    before = period.previous
    received_before = resolved_share(
        start=before.first_day, end=before.last_day + dt.timedelta(days=1)
    ).total
    by_month = {
        row["month"]: row["total"]
        for row in reception_counts_by_month(start=period.month.replace(month=1), end=end)
    }
    months = period.months_of_year()
    by_station = reception_counts_by_station(start=start, end=end, limit=15)
    for row in by_station:
        township = row["station__region__level"] == Region.Level.TOWNSHIP
        row["county"] = (
            row["station__region__parent__name"] if township else row["station__region__name"]
        )
        row["township"] = row["station__region__name"] if township else ""
    return [
        Section(
            slug="stations",
            title="代表联络站和接待群众",
            template="liaison_stations/report/stations.html",
            context={
                "station_count": station_count,
                "share": share,
                "duty": duty,
                "by_county": duty_days_by_county(start=start, end=end),
                "by_category": reception_counts_by_category(start=start, end=end),
                "by_station": by_station,
            },
            key_figures=[
                KeyFigure(
                    "接待群众（人次）",
                    str(share.total),
                    f"办结率{share.percent}%",
                    previous=str(received_before),
                ),
                KeyFigure(
                    "代表进站（开展/安排站次）",
                    f"{duty.held}/{duty.scheduled}",
                    f"全市{station_count}个联络站",
                ),
            ],
            sentences=[
                f"全市{station_count}个代表联络站本月安排代表进站{duty.scheduled}站次，"
                f"实际开展{duty.held}站次；接待群众{share.total}人次（上月{received_before}人次），"
                f"已办结{share.resolved}件（{share.percent}%）。"
            ],
            charts=[
                Chart(
                    title=f"{period.month.year}年各月接待群众人次",
                    kind="columns",
                    categories=[f"{m.month.month}月" for m in months],
                    series=[Series("接待人次", [by_month.get(m.month, 0) for m in months])],
                    order=40,
                )
            ],
            order=50,
        )
    ]
