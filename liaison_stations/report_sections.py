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
    reception_counts_by_station,
    resolved_share,
)
from reports.sections import KeyFigure, ReportPeriod, Section


def sections(period: ReportPeriod) -> list[Section]:
    start = period.first_day
    end = period.last_day + dt.timedelta(days=1)
    station_count = Station.objects.filter(is_active=True).count()
    if not station_count:
        return []
    share = resolved_share(start=start, end=end)
    duty = duty_days_held_vs_scheduled(start=start, end=end)
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
                "by_station": reception_counts_by_station(start=start, end=end, limit=15),
            },
            key_figures=[
                KeyFigure(
                    "人次群众来访",
                    str(share.total),
                    f"办结率{share.percent}%",
                ),
                KeyFigure(
                    "站次代表进站（开展/安排）",
                    f"{duty.held}/{duty.scheduled}",
                    f"全市{station_count}个联络站",
                ),
            ],
            order=50,
        )
    ]
