"""Reads of the inquiry, interpellation and satisfaction pages, and the rankings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ballots.models import Option
from deputies.models import Deputy
from handovers.models import Handover, Step
from organisation.models import Region, User
from oversight.hearing_models import (
    Commitment,
    Interpellation,
    Mover,
    Question,
    Respondent,
    SatisfactionResult,
    SatisfactionVote,
)
from oversight.hearings import committee_members, seated_deputies, unit_key
from oversight.models import Case


def today() -> dt.date:
    return timezone.localdate()


# --- Who is involved (a unit contact opens the page of a case their unit takes part in) ---


def inquiry_involves(case_pk: int, unit_id: int) -> bool:
    return Respondent.objects.filter(case__pk=case_pk, unit__pk=unit_id).exists()


def interpellation_involves(case_pk: int, unit_id: int) -> bool:
    return Interpellation.objects.filter(case__pk=case_pk, unit__pk=unit_id).exists()


def satisfaction_involves(case_pk: int, unit_id: int) -> bool:
    polls = SatisfactionVote.objects.filter(case__pk=case_pk).values("poll")
    return Option.objects.filter(poll__in=polls, key=unit_key(unit_id)).exists()


# --- Inquiries ------------------------------------------------------------------------------


def askers(case: Case) -> QuerySet[Deputy]:
    """Who may ask today: the standing committee's members and the congress's deputies."""
    day = today()
    return (committee_members(case, day) | seated_deputies(case, day)).distinct().order_by("name")


def questions_of(case: Case) -> list[Question]:
    commitments = Commitment.objects.select_related("unit", "handover").order_by("pk")
    return list(
        Question.objects.filter(case=case)
        .select_related("asker", "respondent__unit")
        .prefetch_related(Prefetch("commitments", queryset=commitments))
        .order_by("number")
    )


# --- Interpellations ------------------------------------------------------------------------


def interpellations_of(case: Case) -> list[Interpellation]:
    commitments = Commitment.objects.select_related("unit", "handover").order_by("pk")
    return list(
        Interpellation.objects.filter(case=case)
        .select_related("unit", "session", "handover")
        .prefetch_related(
            Prefetch("movers", queryset=Mover.objects.select_related("deputy").order_by("pk")),
            Prefetch("commitments", queryset=commitments),
        )
        .order_by("pk")
    )


def interpellations_in_brief(case: Case) -> list[Interpellation]:
    """The case page's card: each interpellation's unit and handover (its stage), in one
    query; the movers and commitments are the interpellation page's."""
    return list(
        Interpellation.objects.filter(case=case).select_related("unit", "handover").order_by("pk")
    )


def answer_steps(interpellations: list[Interpellation]) -> dict[int, list[Step]]:
    """Each interpellation's answer history (handed over, answered, sent back for a second
    answer, closed), by interpellation: one query for them all, and one for the files."""
    of_handover = {item.handover_id: item.pk for item in interpellations if item.handover_id}
    steps: dict[int, list[Step]] = defaultdict(list)
    if not of_handover:
        return steps
    rows = (
        Step.objects.filter(handover__in=list(of_handover))
        .select_related("by")
        .prefetch_related("files")
        .order_by("at", "pk")
    )
    for step in rows:
        steps[of_handover[step.handover_id]].append(step)
    return steps


# --- Satisfaction votes and rankings --------------------------------------------------------


def votes_of(case: Case) -> list[SatisfactionVote]:
    results = SatisfactionResult.objects.select_related("unit", "rereport")
    return list(
        SatisfactionVote.objects.filter(case=case)
        .select_related("session", "poll")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("-session__date", "pk")
    )


@dataclass
class Ranked:
    rank: int
    result: SatisfactionResult
    roll: int
    satisfied_share: Fraction  # 满意 of all on the roll
    positive_share: Fraction  # 满意 + 基本满意 of all on the roll

    @property
    def satisfied_percent(self) -> str:
        return f"{float(self.satisfied_share) * 100:.1f}%"

    @property
    def positive_percent(self) -> str:
        return f"{float(self.positive_share) * 100:.1f}%"

    @property
    def rereport(self) -> Handover | None:
        return self.result.rereport


def ranked(results, roll: int | None = None) -> list[Ranked]:
    """Results by satisfied share of the roll (then 满意 + 基本满意), best first; equal
    shares share a rank."""
    rows = []
    for result in results:
        size = roll or result.vote.roll or 0
        satisfied = Fraction(result.satisfied, size) if size else Fraction(0)
        positive = Fraction(result.satisfied + result.basic, size) if size else Fraction(0)
        rows.append(Ranked(0, result, size, satisfied, positive))
    rows.sort(key=lambda r: (-r.satisfied_share, -r.positive_share, r.result.unit.name))
    previous = None
    for index, row in enumerate(rows, start=1):
        key = (row.satisfied_share, row.positive_share)
        row.rank = rows[index - 2].rank if previous == key else index
        previous = key
    return rows


def _visible_votes(user: User) -> QuerySet[SatisfactionVote]:
    return SatisfactionVote.objects.filter(
        case__in=Case.objects.visible_to(user).values("pk"), recorded_on__isnull=False
    )


def ranking_years(user: User) -> list[int]:
    return sorted(set(_visible_votes(user).values_list("year", flat=True)), reverse=True)


@dataclass
class RankingTable:
    region: Region
    level: str
    votes: list[SatisfactionVote]
    rows: list[Ranked]
    unsatisfactory: int


def rankings(user: User, year: int) -> list[RankingTable]:
    """Per congress, the units rated in ``year`` ranked by satisfied share."""
    votes = list(
        _visible_votes(user)
        .filter(year=year)
        .select_related("case__region", "session")
        .prefetch_related(
            Prefetch(
                "results", queryset=SatisfactionResult.objects.select_related("unit", "rereport")
            )
        )
        .order_by("case__region__path", "session__date")
    )
    tables: dict[tuple[int, str], RankingTable] = {}
    rated: dict[tuple[int, str], list[SatisfactionResult]] = {}
    for vote in votes:
        key = (vote.case.region_id, vote.case.level)
        table = tables.setdefault(key, RankingTable(vote.case.region, vote.case.level, [], [], 0))
        table.votes.append(vote)
        for result in vote.results.all():
            result.vote = vote  # the prefetched rows know their vote without a query
            rated.setdefault(key, []).append(result)
    for key, table in tables.items():
        results = rated.get(key, [])
        table.rows = ranked(results)
        table.unsatisfactory = sum(1 for r in results if r.unsatisfactory)
    return list(tables.values())
