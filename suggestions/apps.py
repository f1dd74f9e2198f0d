from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import RECORD_READERS


class SuggestionsConfig(AppConfig):
    """Deputy suggestions 代表建议: submitted, screened, handed over (handovers) and rated."""

    name = "suggestions"
    verbose_name = _("Deputy suggestions")
    contributes = Contribution(
        nav=[NavItem(_("Suggestions"), "suggestions:index", RECORD_READERS, order=25)],
        panels="suggestions.panels.home_panels",
        report_sections="suggestions.report_sections.sections",
        demo="suggestions.demo.seed",
        demo_order=50,  # after the stations' receptions (30) and the task lists (40)
    )

    def ready(self) -> None:
        from deputies import record_sources

        # A suggestion in a deputy's performance record links to the suggestion.
        record_sources.register("suggestion", record_sources.by_url("suggestions:detail"))
        from handovers import kinds

        # The suggestion's own rules of the one handover mechanism: rated by the lead
        # deputy, answered A/B/C, due three months after the hand-over, extended to six
        # at most, re-handled within a month.
        kinds.register(
            kinds.HandoverKind(
                name="suggestion",
                label=_("Deputy suggestion"),
                checked_by=kinds.CheckedBy.RATING,
                answer_classes=True,
                default_months=3,
                max_months=6,
                rehandling_months=1,
                on_change="suggestions.services.handover_changed",
                subject_url="suggestions.services.subject_url",
            )
        )
