"""Milestone reminders to the responsible unit: 7 and 1 days ahead and overdue, each once."""

from __future__ import annotations

import datetime as dt

import pytest

from livelihood.delivery import milestone_add, projects_open
from livelihood.models import Project
from livelihood.reminders import sweep
from notifications.models import Notification
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_milestones_are_reminded_ahead_and_when_late_each_once(world):
    proposal = make_proposal(world, status="chosen")
    projects_open([proposal.pk])
    project = Project.objects.get()
    unit = world.township_unit_contact
    milestone_add(project=project, by=unit, title="路基", due=TODAY + dt.timedelta(days=6))
    milestone_add(project=project, by=unit, title="浇筑", due=TODAY + dt.timedelta(days=1))
    milestone_add(project=project, by=unit, title="采购", due=TODAY - dt.timedelta(days=3))
    milestone_add(project=project, by=unit, title="验收", due=TODAY + dt.timedelta(days=30))
    first = sweep(today=TODAY)
    assert (first["milestone_due"], first["milestone_late"]) == (2, 1)
    again = sweep(today=TODAY)
    assert (again["milestone_due"], again["milestone_late"]) == (0, 0)
    titles = set(Notification.objects.filter(user=unit).values_list("title", flat=True))
    assert "民生实事节点到期提醒：路基将于2026年6月7日到期" in titles
    assert "民生实事节点已逾期：采购" in titles
    assert not Notification.objects.exclude(user=unit).filter(title__contains="节点").exists()
