"""Home-page panels of the suggestions (see ``dashboard.panels``): for a deputy, what
waits for them (a draft to confirm, a signature, an answer to rate); for the office of a
congress, what waits for its intake or hand-over; for a leader, the key suggestions
they lead."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from handovers.models import Handover
from organisation.access import has_role
from organisation.roles import SUGGESTION_KEEPERS, Role
from suggestions.models import Level, Suggestion


def home_panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    if user.role == Role.DEPUTY:
        mine = Suggestion.objects.visible_to(user)
        counts = mine.aggregate(
            drafts=Count("pk", filter=Q(status=Suggestion.Status.DRAFT, lead__user=user)),
            to_sign=Count(
                "signatures",
                filter=Q(signatures__deputy__user=user, signatures__confirmed_on__isnull=True),
            ),
            to_rate=Count(
                "pk",
                filter=Q(handover__state=Handover.State.ANSWERED, handover__rater=user),
            ),
        )
        if not any(counts.values()):
            return []
        return [
            Panel(
                title=_("My suggestions"),
                template="suggestions/panels/deputy.html",
                context=counts,
                order=15,
            )
        ]
    if user.role == Role.LEADER:
        led = list(
            Suggestion.objects.filter(is_key=True, leader=user)
            .exclude(status=Suggestion.Status.CLOSED)
            .select_related("handover__unit")
            .order_by("handover__due_on")[:10]
        )
        if not led:
            return []
        return [
            Panel(
                title=_("Key suggestions I lead"),
                template="suggestions/panels/leader.html",
                context={"suggestions": led},
                order=15,
            )
        ]
    if has_role(user, SUGGESTION_KEEPERS):
        kept = Suggestion.objects.visible_to(user)
        if user.role != Role.SECRETARY:
            kept = kept.filter(level=Level.CITY)
        counts = kept.aggregate(
            intake=Count("pk", filter=Q(status=Suggestion.Status.SUBMITTED)),
            hand_over=Count("pk", filter=Q(status=Suggestion.Status.ACCEPTED)),
        )
        if not any(counts.values()):
            return []
        return [
            Panel(
                title=_("Suggestions waiting for the office"),
                template="suggestions/panels/office.html",
                context=counts,
                order=15,
            )
        ]
    return []
