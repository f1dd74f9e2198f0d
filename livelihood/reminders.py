"""Reminder sweep of the livelihood projects: the deputies of a congress are reminded,
once per proposal, of each proposal open to their deliberation 代表议; the responsible
unit's contacts of a project's milestones 7 days and 1 day ahead and, once, when late.

Same mechanism as ``liaison_stations/reminders.py``: one set-based insert through
:mod:`notifications.sweeps`, keyed by the proposal, so running it twice sends nothing new.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from deputies.models import Mandate
from livelihood.models import Milestone, Project, Proposal
from notifications.models import Kind
from notifications.sweeps import column, iso_date, long_date, on_day, record, text, url, window_days
from organisation.roles import Role


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


def _open_milestones():
    """Milestones not done of projects not completed, one row per active contact of the
    project's responsible unit."""
    return (
        Milestone.objects.filter(done_on__isnull=True)
        .exclude(project__state=Project.State.COMPLETED)
        .annotate(
            n_user=F("project__unit__contacts__pk"),
            r_role=F("project__unit__contacts__role"),
            r_active=F("project__unit__contacts__is_active"),
        )
        .filter(r_role=Role.UNIT, r_active=True)
    )


def milestones_due(today: dt.date) -> int:
    """办: a project's milestones 7 days and 1 day away, to the responsible unit's
    contacts; once per stage and due day (a moved milestone is reminded again)."""
    sent = 0
    for stage in ("7", "1"):
        days = window_days(today, stage)
        rows = (
            _open_milestones()
            .filter(due__in=days)
            .annotate(
                n_key=text(
                    f"livelihood:milestone-due-{stage}:",
                    column("pk"),
                    ":",
                    on_day("due", days, iso_date),
                ),
                n_title=text(
                    "民生实事节点到期提醒：",
                    column("title"),
                    "将于",
                    on_day("due", days, long_date),
                    "到期",
                ),
                n_body=text(column("project__proposal__title")),
                n_url=url("livelihood:project", "project_id"),
            )
        )
        sent += record(Kind.MILESTONE_DUE, rows)
    return sent


def milestones_late(today: dt.date) -> int:
    """Milestones past their day and not done: the unit told once per milestone and day."""
    rows = (
        _open_milestones()
        .filter(due__lt=today)
        .annotate(
            n_key=text("livelihood:milestone-late:", column("pk"), ":", column("due")),
            n_title=text("民生实事节点已逾期：", column("title")),
            n_body=text(column("project__proposal__title"), "，计划完成日期", column("due")),
            n_url=url("livelihood:project", "project_id"),
        )
    )
    return record(Kind.OVERDUE, rows)


def sweep(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "deliberate": to_deliberate(),
            "milestone_due": milestones_due(today),
            "milestone_late": milestones_late(today),
        }
