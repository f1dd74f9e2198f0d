"""Home-page panels of the handovers (see ``dashboard.panels``): a unit contact's inbox
(their first panel), the office's late units, a leader's key items 重点督办 and a
deputy's answers waiting for their rating."""

from __future__ import annotations

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from handovers import selectors
from handovers.kinds import kind_named
from handovers.views import colour_badge
from organisation.roles import Role

SHOWN = 5


def home_panels(request) -> list[Panel]:
    user = request.user
    today = timezone.localdate()
    panels: list[Panel] = []
    if user.role == Role.UNIT and user.unit_id:
        panels += _unit_inbox(user, today)
    if selectors.is_office(user):
        panels += _late_units(user, today)
    panels += _led(user, today) + _to_rate(user, today)
    return panels


def _rows(handovers, today) -> list:
    rows = list(handovers[:SHOWN])
    for handover in rows:
        handover.kind_label = kind_named(handover.kind).label
        handover.badge, handover.colour_label = colour_badge(handover.colour(today))
    return rows


def _unit_inbox(user, today) -> list[Panel]:
    scope = selectors.inbox_scope(user)
    counts = selectors.counts(scope, today)
    if not counts["open"]:
        return []
    urgent = _rows(
        scope.with_unit().select_related("unit").order_by("due_on", "pk"),  # type: ignore[attr-defined]
        today,
    )
    for handover in urgent:
        handover.helping = handover.unit_id != user.unit_id
    return [
        Panel(
            title=_("Inbox"),
            template="handovers/panels/inbox.html",
            context={"counts": counts, "items": urgent, "url": reverse("handovers:index")},
            order=1,  # a unit contact's first panel, before the reports due (10)
        )
    ]


def _late_units(user, today) -> list[Panel]:
    shown, count = selectors.late_units(selectors.inbox_scope(user), today, SHOWN)
    if not shown:
        return []
    index = reverse("handovers:index")
    for unit in shown:
        unit["url"] = reverse("handovers:index", query={"unit": unit["pk"]})
    return [
        Panel(
            title=_("Late units"),
            template="handovers/panels/late_units.html",
            context={"units": shown, "count": count, "url": index},
            order=13,
        )
    ]


def _led(user, today) -> list[Panel]:
    if user.role != Role.LEADER:
        return []
    # How many in all rides along with the first rows (a window count): one query.
    led = selectors.led_by(user).annotate(total=Window(Count("pk"))).order_by("due_on", "pk")
    rows = _rows(led, today)
    if not rows:
        return []
    return [
        Panel(
            title=_("Key items I lead"),
            template="handovers/panels/items.html",
            context={"items": rows, "count": rows[0].total},
            order=9,
        )
    ]


def _to_rate(user, today) -> list[Panel]:
    waiting = selectors.to_rate(user).order_by("answered_on", "pk")
    rows = _rows(waiting, today)
    if not rows:
        return []
    return [
        Panel(
            title=_("Answers waiting for your rating"),
            template="handovers/panels/items.html",
            context={
                "items": rows,
                "count": waiting.count() if len(rows) == SHOWN else len(rows),
                "rate": True,
            },
            order=2,
        )
    ]
