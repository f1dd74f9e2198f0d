"""Absences without leave 未经批准不出席: under the Law on Deputies a deputy who twice
fails to attend a session of their congress without leave loses the mandate, so such a
deputy is flagged to the office (a list, a home panel and a notice, once).

Computed from the roll and the check-ins of closed sessions (never from a ballot): a
deputy on the roll with no check-in — neither present nor on leave 请假 — was absent
without leave. Only sessions of the seat the deputy still holds count (same level and
region, on or after the seat's start).
"""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ballots.models import CheckIn, CongressSession, RollEntry
from deputies.models import Mandate
from notifications.models import Kind
from notifications.services import notifications_send
from organisation.access import region_q
from organisation.models import User
from organisation.roles import Role

#: Two absences without leave end a mandate (Law on Deputies).
FLAG_AT = 2


def absences(user: User | None = None, *, named: bool = True) -> QuerySet:
    """Per deputy and congress (level, region): the absences without leave from closed
    sessions of the seat they hold, at least ``FLAG_AT``; in the user's scope. Without
    ``named``, the rows carry keys only (what a count needs: no join for the names)."""
    seat = Mandate.objects.active().filter(
        Q(started_on__isnull=True) | Q(started_on__lte=OuterRef("session__date")),
        deputy=OuterRef("deputy"),
        level=OuterRef("session__level"),
        region=OuterRef("session__region"),
    )
    checked = CheckIn.objects.filter(session=OuterRef("session"), deputy=OuterRef("deputy"))
    missed = RollEntry.objects.filter(
        ~Exists(checked),
        Exists(seat),
        session__state=CongressSession.State.CLOSED,
        session__body=CongressSession.Body.CONGRESS,  # not a standing committee's meeting
    )
    if user is not None:
        missed = missed.filter(region_q(user, "session__region"))
    names = ("deputy__name", "session__region__name") if named else ()
    return (
        missed.values("deputy", "session__level", "session__region", *names)
        .annotate(missed=Count("pk"), last=Max("session__date"))
        .filter(missed__gte=FLAG_AT)
        .order_by("-last", "deputy__name")
    )


def absences_notify(session: CongressSession) -> int:
    """After ``session`` closes: tell the office and the region's secretaries, once per
    deputy and congress, of each deputy of its roll who has now missed two sessions."""
    flagged = absences().filter(
        session__level=session.level,
        session__region=session.region_id,
        deputy__in=RollEntry.objects.filter(session=session).values("deputy"),
    )
    region = session.region
    # The region and the regions holding it ("/431200/431224/431224102/" and up).
    parts = region.path.strip("/").split("/")
    over = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    readers = User.objects.filter(is_active=True).filter(
        Q(role=Role.STAFF) | Q(role=Role.SECRETARY, region__path__in=over)
    )
    sent = 0
    url = reverse("ballots:absences")
    for row in flagged:
        sent += notifications_send(
            users=readers,
            kind=Kind.OTHER,
            title=_("%(name)s has missed %(n)s sessions of %(region)s without leave")
            % {
                "name": row["deputy__name"],
                "n": row["missed"],
                "region": row["session__region__name"],
            },
            body=_(
                "Under the Law on Deputies, failing twice to attend the congress without "
                "leave ends the mandate. Please follow up."
            ),
            url=url,
            key=f"absences:{row['deputy']}:{row['session__level']}:{row['session__region']}",
        )
    return sent
