"""The charts of the monthly report laid out as SVG shapes, which
``reports/pdf/chart.html`` writes out (inline ``<svg>``, drawn by WeasyPrint with the
document's embedded CJK font; nothing is fetched).

Each :class:`reports.sections.Chart` becomes a :class:`Drawing`: rectangles, lines,
polylines and texts in the drawing's own units (one unit is a CSS pixel, the width
:data:`WIDTH`). Layout is arithmetic only, so drawing costs little beside WeasyPrint's
own work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.sections import Chart

WIDTH = 320
LABEL_WIDTH = 92  # the category labels' column of bar charts
ROW = 17  # one bar's band
LEGEND = 16
# Colours: the statuses' (as on the portal's badges), then a few for other series.
PALETTE = ["#2e7d32", "#1f5fa8", "#c77700", "#b42318", "#9aa4ae", "#6f42c1", "#0a7f86"]
STATUS_COLOURS = {
    "已完成": "#2e7d32",
    "正常推进": "#1f5fa8",
    "滞后": "#c77700",
    "逾期": "#b42318",
    "未启动": "#9aa4ae",
}


@dataclass
class Drawing:
    title: str
    note: str
    height: int
    rects: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    polylines: list[dict] = field(default_factory=list)
    circles: list[dict] = field(default_factory=list)
    texts: list[dict] = field(default_factory=list)
    width: int = WIDTH


def _colour(name: str, index: int) -> str:
    return STATUS_COLOURS.get(name, PALETTE[index % len(PALETTE)])


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _legend(drawing: Drawing, chart: Chart, y: int) -> None:
    x = 4
    for index, series in enumerate(chart.series):
        drawing.rects.append(
            {"x": x, "y": y - 7, "w": 8, "h": 8, "fill": _colour(series.name, index)}
        )
        drawing.texts.append({"x": x + 11, "y": y, "text": series.name, "size": 8})
        x += 16 + 9 * len(series.name)


def _bars(chart: Chart) -> Drawing:
    """Horizontal bars, one per category; stacked when there are several series."""
    rows = len(chart.categories)
    legend = LEGEND if len(chart.series) > 1 else 0
    drawing = Drawing(chart.title, chart.note, height=legend + rows * ROW + 16)
    if legend:
        _legend(drawing, chart, 10)
    totals = [sum(s.values[i] for s in chart.series) for i in range(rows)]
    top = chart.max_value or max(totals, default=0) or 1
    span = WIDTH - LABEL_WIDTH - 34
    for i, category in enumerate(chart.categories):
        y = legend + i * ROW + 4
        drawing.texts.append(
            {"x": LABEL_WIDTH - 4, "y": y + 10, "text": _short(category, 11), "anchor": "end"}
        )
        x = float(LABEL_WIDTH)
        for index, series in enumerate(chart.series):
            value = series.values[i]
            if value <= 0:
                continue
            w = span * value / top
            drawing.rects.append(
                {
                    "x": round(x, 1),
                    "y": y,
                    "w": round(w, 1),
                    "h": 12,
                    "fill": _colour(series.name, index),
                }
            )
            if len(chart.series) > 1 and w >= 14:
                drawing.texts.append(
                    {
                        "x": round(x + w / 2, 1),
                        "y": y + 9,
                        "text": _number(value),
                        "anchor": "middle",
                        "fill": "#fff",
                        "size": 7,
                    }
                )
            x += w
        drawing.texts.append(
            {"x": round(x + 3, 1), "y": y + 10, "text": _number(totals[i]) + chart.unit}
        )
    axis_y = legend + rows * ROW + 6
    drawing.lines.append({"x1": LABEL_WIDTH, "y1": legend + 2, "x2": LABEL_WIDTH, "y2": axis_y})
    return drawing


def _columns(chart: Chart) -> Drawing:
    """Vertical bars over the categories (months), one series, each with its value."""
    height, bottom, left = 130, 112, 8
    drawing = Drawing(chart.title, chart.note, height=height)
    values = chart.series[0].values if chart.series else []
    top = chart.max_value or max(values, default=0) or 1
    n = max(len(chart.categories), 1)
    band = (WIDTH - 2 * left) / n
    for i, (category, value) in enumerate(zip(chart.categories, values, strict=True)):
        h = (bottom - 22) * value / top
        x = left + i * band + band * 0.15
        drawing.rects.append(
            {
                "x": round(x, 1),
                "y": round(bottom - h, 1),
                "w": round(band * 0.7, 1),
                "h": round(h, 1),
                "fill": PALETTE[1],
            }
        )
        drawing.texts.append(
            {
                "x": round(x + band * 0.35, 1),
                "y": round(bottom - h - 3, 1),
                "text": _number(value),
                "anchor": "middle",
                "size": 7,
            }
        )
        drawing.texts.append(
            {
                "x": round(x + band * 0.35, 1),
                "y": bottom + 11,
                "text": category,
                "anchor": "middle",
                "size": 7,
            }
        )
    drawing.lines.append({"x1": left, "y1": bottom, "x2": WIDTH - left, "y2": bottom})
    return drawing


def _line(chart: Chart) -> Drawing:
    """A line per series over the categories (months), the scale from 0 to the top."""
    legend = LEGEND if len(chart.series) > 1 or chart.series else 0
    height, left, right = 140, 28, 10
    bottom = height - 16
    drawing = Drawing(chart.title, chart.note, height=height)
    if legend:
        _legend(drawing, chart, 10)
    values = [v for s in chart.series for v in s.values]
    top = chart.max_value or max(values, default=0) or 1
    plot_top = legend + 8
    n = max(len(chart.categories), 1)
    step = (WIDTH - left - right) / max(n - 1, 1)
    for fraction in (0, 0.5, 1):
        y = round(bottom - (bottom - plot_top) * fraction, 1)
        drawing.lines.append(
            {"x1": left, "y1": y, "x2": WIDTH - right, "y2": y, "stroke": "#d0d7de"}
        )
        drawing.texts.append(
            {
                "x": left - 3,
                "y": y + 3,
                "text": _number(top * fraction) + chart.unit,
                "anchor": "end",
                "size": 7,
            }
        )
    for i, category in enumerate(chart.categories):
        drawing.texts.append(
            {
                "x": round(left + i * step, 1),
                "y": bottom + 11,
                "text": category,
                "anchor": "middle",
                "size": 7,
            }
        )
    for index, series in enumerate(chart.series):
        colour = _colour(series.name, index)
        points = [
            (round(left + i * step, 1), round(bottom - (bottom - plot_top) * v / top, 1))
            for i, v in enumerate(series.values)
        ]
        drawing.polylines.append(
            {"points": " ".join(f"{x},{y}" for x, y in points), "stroke": colour}
        )
        for x, y in points:
            drawing.circles.append({"x": x, "y": y, "fill": colour})
        if points:
            x, y = points[-1]
            drawing.texts.append(
                {
                    "x": x,
                    "y": y - 4,
                    "text": _number(series.values[-1]) + chart.unit,
                    "anchor": "end",
                    "size": 7,
                    "fill": colour,
                }
            )
    return drawing


def draw(chart: Chart) -> Drawing:
    if chart.kind == "line":
        return _line(chart)
    if chart.kind == "columns":
        return _columns(chart)
    return _bars(chart)
