"""Reminder sweep of the livelihood projects: the deputies of a congress are reminded,
once per proposal, of each proposal open to their deliberation 代表议.

Same mechanism as ``liaison_stations/reminders.py``: one set-based insert through
:mod:`notifications.sweeps`, keyed by the proposal, so running it twice sends nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils import translation

from deputies.models import Mandate
from livelihood.models import Proposal
from notifications.models import Kind
from notifications.sweeps import column, record, text, url


def to_deliberate() -> int:
    """One row per deputy seat and open proposal of that congress, in one statement."""
    proposal = "region__livelihood_proposals__"
    rows = (
        Mandate.objects.active()
        .filter(
            deputy__is_active=True,
            deputy__user__is_active=True,
            **{f"{proposal}status__in": Proposal.OPEN, f"{proposal}level": F("level")},
        )
        .annotate(
            n_user=F("deputy__user_id"),
            n_key=text("livelihood:deliberate:", column(f"{proposal}pk")),
            n_title=text("民生实事项目待审议：", column(f"{proposal}title")),
            n_body=text(
                column(f"{proposal}place"), "，估算", column(f"{proposal}estimated_cost"), "万元"
            ),
            n_url=url("livelihood:proposal", f"{proposal}pk"),
        )
    )
    return record(Kind.OTHER, rows)


def sweep() -> dict[str, int]:
    with translation.override(settings.LANGUAGE_CODE):
        return {"deliberate": to_deliberate()}
