"""A deputy's duty days as an iCalendar feed (RFC 5545), written by hand: the format
needs only a few properties, CRLF line ends, escaping and lines folded at 75 octets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone


def escape(text: str) -> str:
    """TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (§3.1), never inside a
    UTF-8 character: Chinese text takes three octets a character."""
    out: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            out.append(current)
            current = " " + char
            limit = 75
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def duty_calendar(*, name: str, shifts: Iterable, host: str = "") -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = host or settings.PORTAL_BASE_URL.split("//")[-1].split("/")[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//congress-portal//duty rota//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for shift in shifts:
        station = shift.station
        summary = f"{station.name} 代表值班"
        lines += [
            "BEGIN:VEVENT",
            f"UID:duty-{shift.pk}@{host}",
            f"DTSTAMP:{stamp}",
            # An all-day event: the opening hours vary and phones show these best.
            f"DTSTART;VALUE=DATE:{shift.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{shift.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(summary)}",
            f"LOCATION:{escape(station.address or station.name)}",
            f"DESCRIPTION:{escape(station.opening_hours)}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(summary)}",
            "TRIGGER:-PT15H",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
