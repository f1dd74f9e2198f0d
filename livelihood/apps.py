from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import LIVELIHOOD_PROJECT_UNITS, LIVELIHOOD_READERS


class LivelihoodConfig(AppConfig):
    """Livelihood projects 民生实事票决制: 群众提、代表议、大会决 (the vote is ``ballots``')."""

    name = "livelihood"
    verbose_name = _("Livelihood projects")
    contributes = Contribution(
        nav=[
            NavItem(_("Livelihood projects"), "livelihood:index", LIVELIHOOD_READERS, order=40),
            # A unit contact's own: the chosen projects their unit carries out.
            NavItem(
                _("Chosen projects"), "livelihood:projects", LIVELIHOOD_PROJECT_UNITS, order=40
            ),
        ],
        panels="livelihood.panels.home_panels",
        report_sections="livelihood.report_sections.sections",
        beat={
            "livelihood-reminders": {
                "task": "livelihood.sweep_reminders",
                "schedule": crontab(hour=8, minute=15),
            },
        },
        demo="livelihood.demo.seed",
        demo_order=60,  # after the receptions (30), suggestions (50) and ballots
    )

    def ready(self) -> None:
        from deputies import record_sources

        # Inspections and deliberations in a deputy's performance record link here.
        record_sources.register("inspection", record_sources.by_url("livelihood:inspection"))
        record_sources.register("deliberation", record_sources.by_url("livelihood:proposal"))
        from handovers import kinds

        # A unit's chosen projects show on its inbox beside what is handed to it.
        kinds.register_inbox_panels("livelihood.panels.project_panels")

        # 民生实事督办: an inspection's finding, or a project rated unsatisfactory that
        # must be reported on again; the congress's office verifies the answer.
        kinds.register(
            kinds.HandoverKind(
                name="livelihood_finding",
                label=_("Livelihood project supervision"),
                checked_by=kinds.CheckedBy.OFFICE,
                default_months=1,
                max_months=3,
                subject_url="livelihood.supervision.subject_url",
            )
        )
