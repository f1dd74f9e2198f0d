"""Reads of suggestions, scoped through ``Suggestion.objects.visible_to``; the statistics
as SQL aggregates (one GROUP BY per table, never a loop over rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from deputies.models import Deputy
from handovers.models import Handover
from organisation.models import Unit
from suggestions.models import Level, Signature, Suggestion


def suggestions_for(user) -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.visible_to(user)
        .select_related("region", "lead", "handover")
        .select_related("handover__unit")
    )


def suggestion_detail(user, pk: int) -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("region", "lead", "handover", "merged_into", "drafted_by", "reception")
        .select_related("handover__unit", "leader")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.select_related("deputy")),
            Prefetch("handover__assists"),
        )
    )


def merge_targets(suggestion: Suggestion) -> QuerySet[Suggestion]:
    """The suggestions of the same congress another may be merged into."""
    return (
        Suggestion.objects.filter(region=suggestion.region_id, level=suggestion.level)
        .exclude(pk=suggestion.pk)
        .exclude(status__in=[Suggestion.Status.DRAFT, *Suggestion.ENDED_AT_INTAKE])
        .order_by("-year", "-number")
    )


def units_for_hand_over(suggestion: Suggestion) -> QuerySet[Unit]:
    """The units a suggestion may be handed to: the active units of its congress's region
    and of the regions above it (a township's suggestion may go to a county department),
    and those of the regions inside it."""
    region = suggestion.region
    above = region.path.strip("/").split("/")
    return (
        Unit.objects.filter(is_active=True)
        .filter(
            Q(region__isnull=True)
            | Q(region__code__in=above)
            | Q(region__path__startswith=region.path)
        )
        .select_related("region")
        .order_by("region__path", "kind", "name")
    )


def cosigner_choices(deputy: Deputy, level: str, region_id: int) -> QuerySet[Deputy]:
    return (
        Deputy.objects.filter(
            is_active=True,
            mandates__level=level,
            mandates__region=region_id,
            mandates__ended_on__isnull=True,
        )
        .exclude(pk=deputy.pk)
        .order_by("name", "pk")
    )


# --- Statistics ---------------------------------------------------------------------------


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Rates:
    """The four usual rates of handed-over suggestions."""

    label: str
    handed: int
    answered: int
    on_time: int
    rated: int
    satisfied: int
    solved: int
    late: int

    @property
    def answered_rate(self) -> int | None:
        return _percent(self.answered, self.handed)

    @property
    def on_time_rate(self) -> int | None:
        """Answered by the deadline in force, among the answered."""
        return _percent(self.on_time, self.answered)

    @property
    def satisfied_rate(self) -> int | None:
        """满意 or 基本满意, among the rated."""
        return _percent(self.satisfied, self.rated)

    @property
    def solved_rate(self) -> int | None:
        """A, or B later reported solved, among the answered."""
        return _percent(self.solved, self.answered)


def _counts(today: dt.date, prefix: str = "handover__") -> dict[str, Any]:
    h = prefix
    return {
        "handed": Count(f"{h}pk"),
        "answered": Count(f"{h}pk", filter=Q(**{f"{h}answered_on__isnull": False})),
        "on_time": Count(f"{h}pk", filter=Q(**{f"{h}answered_on__lte": F(f"{h}due_on")})),
        "rated": Count(f"{h}pk", filter=~Q(**{f"{h}rating": ""})),
        "satisfied": Count(
            f"{h}pk",
            filter=Q(
                **{
                    f"{h}rating__in": [
                        Handover.Rating.SATISFIED,
                        Handover.Rating.BASIC,
                    ]
                }
            ),
        ),
        "solved": Count(
            f"{h}pk",
            filter=Q(**{f"{h}answered_on__isnull": False})
            & (
                Q(**{f"{h}answer_class": Handover.AnswerClass.A})
                | Q(**{f"{h}solved_on__isnull": False})
            ),
        ),
        "late": Count(
            f"{h}pk",
            filter=Q(**{f"{h}state__in": Handover.WITH_UNIT, f"{h}due_on__lt": today}),
        ),
    }


def _rates(row: dict[str, Any], label: str) -> Rates:
    return Rates(
        label=label,
        **{
            key: row[key]
            for key in ("handed", "answered", "on_time", "rated", "satisfied", "solved", "late")
        },
    )


def rates_total(suggestions: QuerySet[Suggestion], today: dt.date, label: str = "") -> Rates:
    row = suggestions.filter(handover__isnull=False).order_by().aggregate(**_counts(today))
    return _rates(row, label)


def rates_by_unit(suggestions: QuerySet[Suggestion], today: dt.date) -> list[Rates]:
    rows = (
        suggestions.filter(handover__isnull=False)
        .order_by()
        .values("handover__unit__name")
        .annotate(**_counts(today))
        .order_by("-handed", "handover__unit__name")
    )
    return [_rates(row, row["handover__unit__name"]) for row in rows]


def rates_by_class(suggestions: QuerySet[Suggestion], today: dt.date) -> list[Rates]:
    rows = (
        suggestions.filter(handover__answered_on__isnull=False)
        .order_by()
        .values("handover__answer_class")
        .annotate(**_counts(today))
        .order_by("handover__answer_class")
    )
    labels = dict(Handover.AnswerClass.choices)
    return [_rates(row, str(labels.get(row["handover__answer_class"], ""))) for row in rows]


def rates_by_congress(suggestions: QuerySet[Suggestion], today: dt.date) -> list[Rates]:
    rows = (
        suggestions.filter(handover__isnull=False)
        .order_by()
        .values("region__path", "region__name", "level")
        .annotate(**_counts(today))
        .order_by("region__path", "level")
    )
    levels = dict(Level.choices)
    return [
        _rates(row, f"{row['region__name']} · {levels.get(row['level'], row['level'])}")
        for row in rows
    ]


def status_counts(suggestions: QuerySet[Suggestion]) -> dict[str, int]:
    return dict(
        suggestions.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


# --- The monthly report ----------------------------------------------------------------


@dataclass
class MonthCounts:
    submitted: int
    handed: int
    answered: int
    closed: int


def month_counts(*, start: dt.date, end: dt.date) -> MonthCounts:
    """New, handed over, answered and closed in ``[start, end)``: one query for the
    suggestions, one for their handovers."""
    submitted = Suggestion.objects.filter(submitted_on__gte=start, submitted_on__lt=end).count()
    row = Handover.objects.filter(kind="suggestion").aggregate(
        handed=Count("pk", filter=Q(handed_on__gte=start, handed_on__lt=end)),
        answered=Count("pk", filter=Q(answered_on__gte=start, answered_on__lt=end)),
        closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lt=end)),
    )
    return MonthCounts(submitted=submitted, **row)


def late_at(day: dt.date, limit: int = 15) -> list[Suggestion]:
    """Suggestions still with their unit past the deadline, the latest first."""
    return list(
        Suggestion.objects.filter(handover__state__in=Handover.WITH_UNIT, handover__due_on__lt=day)
        .select_related("region", "handover__unit")
        .order_by("handover__due_on", "pk")[:limit]
    )


def late_count(day: dt.date) -> int:
    return Suggestion.objects.filter(
        handover__state__in=Handover.WITH_UNIT, handover__due_on__lt=day
    ).count()
