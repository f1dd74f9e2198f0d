"""Demo of the attendance flag: one deputy of 黄茅园镇 missed both of its 2026 sessions
without leave, so the office sees them flagged (ballots/attendance.py). The sessions,
rolls and check-ins themselves are the livelihood demo's (it runs before)."""

from __future__ import annotations

from ballots.attendance import absences, absences_notify
from ballots.models import CheckIn, CongressSession
from deputies.services import activity_withdraw


def seed(stdout=None) -> dict:
    if absences().exists():
        return {}
    sessions = list(
        CongressSession.objects.filter(
            region__name="黄茅园镇",
            body=CongressSession.Body.CONGRESS,
            state=CongressSession.State.CLOSED,
        ).order_by("date")[:2]
    )
    if len(sessions) < 2:
        return {}
    first, second = sessions
    missed = (
        first.roll.exclude(deputy__in=first.check_ins.values("deputy"))
        .order_by("deputy__name")
        .select_related("deputy")
        .first()
    )
    if missed is None:
        return {}
    # They were not at the second session either: no check-in, no attendance in the record.
    CheckIn.objects.filter(session=second, deputy=missed.deputy).delete()
    activity_withdraw(deputy=missed.deputy, source_key=f"session:{second.pk}")
    absences_notify(second)
    if stdout:
        stdout.write(
            f"    {missed.deputy.name} missed {first.name} and {second.name} without leave"
        )
    return {}
