"""The handover kinds of inquiries, interpellations and satisfaction votes, registered
from ``OversightConfig.ready()``."""

from django.utils.translation import gettext_lazy as _


def register_kinds() -> None:
    from handovers import kinds

    # 专题询问: a commitment made in an answer, due on the day promised; the office
    # checks it is kept.
    kinds.register(
        kinds.HandoverKind(
            name="oversight_commitment",
            label=_("Inquiry commitment"),
            checked_by=kinds.CheckedBy.OFFICE,
            default_months=3,
            max_months=12,
            subject_url="oversight.hearings.subject_url",
        )
    )
    # 质询: the body questioned answers; more than half of the movers dissatisfied sends
    # it back for the one second answer (round 2). Only the movers' verdicts verify it.
    kinds.register(
        kinds.HandoverKind(
            name="interpellation",
            label=_("Interpellation"),
            checked_by=kinds.CheckedBy.OFFICE,
            default_months=1,
            max_months=2,
            rehandling_months=1,
            on_change="oversight.hearings.handover_changed",
            subject_url="oversight.hearings.subject_url",
            offers="oversight.hearings.interpellation_offers",  # the movers' verdicts
        )
    )
    # 满意度测评: a unit rated 不满意 gives a new report by the deadline.
    kinds.register(
        kinds.HandoverKind(
            name="satisfaction_report",
            label=_("New report after a satisfaction vote"),
            checked_by=kinds.CheckedBy.OFFICE,
            default_months=3,
            max_months=6,
            subject_url="oversight.hearings.subject_url",
        )
    )
