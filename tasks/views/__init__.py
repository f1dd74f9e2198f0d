"""The task pages, one module per sub-domain like the services: ``lists`` (lists, tasks,
milestones, import, export, evidence), ``progress`` (monthly reports and their review),
``supervision`` and ``assessment``. Thin: forms read the input, selectors read,
services write. The helpers here are the ones every task page uses."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from organisation.access import get_visible_or_404
from tasks import selectors
from tasks.models import Task


def back_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def task_or_404(request: HttpRequest, pk: int, *, reasons: bool = False) -> Task:
    tasks = selectors.task_page(request.user, pk).with_status(timezone.localdate(), reasons=reasons)
    return get_visible_or_404(tasks, request.user, pk=pk)
