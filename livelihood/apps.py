from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import LIVELIHOOD_READERS


class LivelihoodConfig(AppConfig):
    """Livelihood projects 民生实事票决制: 群众提、代表议、大会决 (the vote is ``ballots``')."""

    name = "livelihood"
    verbose_name = _("Livelihood projects")
    contributes = Contribution(
        nav=[NavItem(_("Livelihood projects"), "livelihood:index", LIVELIHOOD_READERS, order=40)],
        panels="livelihood.panels.home_panels",
        beat={
            "livelihood-reminders": {
                "task": "livelihood.sweep_reminders",
                "schedule": crontab(hour=8, minute=15),
            },
        },
        demo="livelihood.demo.seed",
        demo_order=60,  # after the receptions (30), suggestions (50) and ballots
    )
