"""The unit inbox /inbox/ and one handover's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from handovers import selectors
from handovers.kinds import kind_named
from organisation.access import role_required
from organisation.roles import INBOX_READERS

PAGE_SIZE = 50


@role_required(INBOX_READERS)
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    handovers = selectors.inbox_for(request.user).with_colour(today)
    page = Paginator(handovers, PAGE_SIZE).get_page(request.GET.get("page"))
    for handover in page:
        handover.kind_label = kind_named(handover.kind).label
        handover.age_days = handover.age(today)
    return render(request, "handovers/index.html", {"page": page, "today": today, "query": ""})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = selectors.handover_detail(request.user, pk).first()
    if handover is None:
        raise Http404
    today = timezone.localdate()
    rules = kind_named(handover.kind)
    return render(
        request,
        "handovers/detail.html",
        {
            "handover": handover,
            "kind": rules,
            "subject_url": rules.url_of_subject(handover),
            "colour": handover.colour(today),
            "age": handover.age(today),
        },
    )
