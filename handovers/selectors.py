"""Reads of handovers, scoped through ``Handover.objects.visible_to``."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from handovers.models import Assist, Handover, Step


def inbox_for(user) -> QuerySet[Handover]:
    """What the user may see, the work still with a unit first, by deadline."""
    return (
        Handover.objects.visible_to(user)
        .select_related("unit", "region")
        .order_by("state", "due_on", "pk")
    )


def handover_detail(user, pk: int) -> QuerySet[Handover]:
    return (
        Handover.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("region", "rater", "handed_by", "subject_type")
        # Apart: "unit" and "leader" in one call read as a group of roles to the roles test.
        .select_related("unit")
        .select_related("leader")
        .prefetch_related(
            Prefetch("assists", queryset=Assist.objects.select_related("unit")),
            Prefetch(
                "steps",
                queryset=Step.objects.select_related("by", "unit").prefetch_related("files"),
            ),
        )
    )
