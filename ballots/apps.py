from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import BALLOT_RUNNERS


class BallotsConfig(AppConfig):
    """The secret ballot: sessions, rolls, check-ins, polls, codes, ballots, tallies and
    receipts (``ballots/services.py``). It knows nothing of what is voted on."""

    name = "ballots"
    verbose_name = _("Secret ballots")
    contributes = Contribution(
        nav=[NavItem(_("Congress sessions"), "ballots:index", BALLOT_RUNNERS, order=45)],
        panels="ballots.panels.home_panels",
        demo="ballots.demo.seed",
        demo_order=70,  # after the livelihood demo's sessions and check-ins (60)
        beat={
            # A congress session tomorrow, to its deputies, the afternoon before.
            "ballots-reminders": {
                "task": "ballots.sweep_reminders",
                "schedule": crontab(hour=16, minute=10),
            },
        },
    )

    def ready(self) -> None:
        from deputies import record_sources

        # A session attended (from its check-in) links to the session for who runs it.
        record_sources.register(
            "session", record_sources.by_url("ballots:session", roles=BALLOT_RUNNERS)
        )
