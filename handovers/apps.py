from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import INBOX_READERS


class HandoversConfig(AppConfig):
    """交办 → 办理 → 评价, once for every kind of work handed to a unit (kinds.py)."""

    name = "handovers"
    verbose_name = _("Handovers")
    contributes = Contribution(
        nav=[NavItem(_("Inbox"), "handovers:index", INBOX_READERS, order=5)],
        # A unit contact's inbox is their first panel; the office's late units, a
        # leader's key items, a deputy's answers to rate.
        panels="handovers.panels.home_panels",
        # No chapter: the summary's red work and the candidates for attention.
        report_sections="handovers.report_sections.sections",
        beat={
            # Yellow and red work, the red escalation, opinions due, ratings left undone.
            "handovers-reminders": {
                "task": "handovers.sweep_reminders",
                "schedule": crontab(hour=8, minute=30),
            },
        },
    )
