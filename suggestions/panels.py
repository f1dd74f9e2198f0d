"""Home-page panels of the suggestions (see ``dashboard.panels``): for a deputy, what
waits for them before a hand-over (a draft to confirm, a signature); for the office of a
congress, what waits for its intake or hand-over. What follows the hand-over — an
answer to rate, a leader's key suggestions, late units — is the handovers' panels'."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dashboard.panels import Panel
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
