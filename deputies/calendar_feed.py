"""A deputy's duty days as an iCalendar feed (RFC 5545), written by the icalendar
library: it escapes text (a CR or CRLF from a textarea included) and folds lines at 75
octets without cutting a Chinese character."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event


def duty_calendar(*, name: str, shifts: Iterable, host: str = "") -> bytes:
    host = host or settings.PORTAL_BASE_URL.split("//")[-1].split("/")[0]
    stamp = timezone.now().astimezone(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//congress-portal//duty rota//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for shift in shifts:
        station = shift.station
        summary = f"{station.name} 代表值班"
        event = Event()
        event.add("uid", f"duty-{shift.pk}@{host}")
        event.add("dtstamp", stamp)
        # An all-day event: the opening hours vary and phones show these best.
        event.add("dtstart", shift.date)
        event.add("dtend", shift.date + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("location", station.address or station.name)
        event.add("description", station.opening_hours)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(hours=-15))  # the afternoon before
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
