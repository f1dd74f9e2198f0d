"""``{% hearing_card case %}``: on the case page, the inquiry, interpellation or satisfaction
vote of a case of that kind, in a few lines, with the link to its page."""

from __future__ import annotations

from django import template

from oversight import hearing_selectors as selectors
from oversight.hearings import interpellation_stage
from oversight.models import Kind

register = template.Library()


@register.inclusion_tag("oversight/hearings/_case_card.html")
def hearing_card(case) -> dict:
    context: dict = {"case": case, "kind": case.kind}
    if case.kind == Kind.INQUIRY:
        questions = selectors.questions_of(case)
        promises = [c for q in questions for c in q.commitments.all()]
        context |= {
            "questions": len(questions),
            "answered": sum(1 for q in questions if q.answered_on),
            "commitments": len(promises),
            "commitments_open": sum(
                1 for c in promises if c.handover and c.handover.state != "closed"
            ),
        }
    elif case.kind == Kind.INTERPELLATION:
        context["items"] = [
            {"item": item, "stage": interpellation_stage(item)}
            for item in selectors.interpellations_in_brief(case)
        ]
    elif case.kind == Kind.SATISFACTION:
        votes = selectors.votes_of(case)
        results = [r for v in votes for r in v.results.all()]
        context |= {
            "votes": votes,
            "rated": len(results),
            "unsatisfactory": [r for r in results if r.unsatisfactory],
        }
    else:
        return {"kind": ""}
    return context
