from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import OVERSIGHT_READERS


class OversightConfig(AppConfig):
    """Oversight 监督: the annual plan, cases, the rectification loop with the second
    unannounced visit and the second list, review opinions."""

    name = "oversight"
    verbose_name = _("Oversight")
    contributes = Contribution(
        nav=[NavItem(_("Oversight"), "oversight:index", OVERSIGHT_READERS, order=55)],
        panels="oversight.panels.home_panels",
        report_sections="oversight.report_sections.sections",
        demo="oversight.demo.seed",
        demo_order=65,  # after livelihood (60): the units, deputies and users exist
    )

    def ready(self) -> None:
        from handovers import kinds

        # 整改清单: a problem found by a case, rectified by its unit; the second
        # unannounced visit verifies it or puts it on the second list (round 2).
        kinds.register(
            kinds.HandoverKind(
                name="rectification",
                label=_("Rectification item"),
                checked_by=kinds.CheckedBy.OFFICE,
                default_months=2,
                max_months=6,
                rehandling_months=1,
                on_change="oversight.services.rectification_changed",
                subject_url="oversight.services.subject_url",
                offers="oversight.services.rectification_offers",  # verified by the visit
            )
        )
        # 审议意见: the unit reports back by the deadline; a meeting reviews the report.
        kinds.register(
            kinds.HandoverKind(
                name="review_opinion",
                label=_("Review opinions"),
                checked_by=kinds.CheckedBy.OFFICE,
                default_months=3,
                max_months=6,
                rehandling_months=2,
                on_change="oversight.services.opinion_changed",
                subject_url="oversight.services.subject_url",
                offers="oversight.services.opinion_offers",  # reviewed at a meeting
            )
        )

        from deputies import record_sources

        # A participant's activity links to the case, for the roles that read cases.
        for prefix, url_name in (
            ("oversight_case", "oversight:case"),
            ("oversight_inquiry", "oversight:inquiry"),
            ("oversight_interpellation", "oversight:interpellation"),
        ):
            record_sources.register(
                prefix, record_sources.by_url(url_name, roles=OVERSIGHT_READERS)
            )

        from oversight.hearing_kinds import register_kinds

        register_kinds()  # commitments, interpellations, new reports after a satisfaction vote
