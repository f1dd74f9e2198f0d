"""Reads of generated reports."""

from __future__ import annotations

from django.db.models import QuerySet

from reports.models import GeneratedReport


def reports_for(user) -> QuerySet[GeneratedReport]:
    return (
        GeneratedReport.objects.visible_to(user)
        .select_related("requested_by")
        .order_by("-month", "-created_at", "-pk")
    )
