"""办 Implement: projects of chosen proposals, allocations from the fund pools, milestones and
progress reports by the responsible unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from livelihood.delivery import (
    allocation_make,
    milestone_add,
    milestone_done,
    progress_report,
    project_set,
    projects_open,
)
from livelihood.models import FundPool, Milestone, Project
from livelihood.services import LivelihoodError, fund_pool_set
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name="site.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def pool(world):
    return FundPool.objects.create(
        year=2026, level="township", region=world.township, funded_by=world.township, amount=100
    )


@pytest.fixture
def project(world):
    proposal = make_proposal(world, status="chosen", cost="45")
    projects_open([proposal.pk])
    return Project.objects.get(proposal=proposal)


def test_a_chosen_proposal_becomes_a_project_of_the_township_government(world, project):
    assert project.unit == world.township_unit
    assert project.budget == Decimal(45)
    assert project.state == Project.State.PLANNED
    assert projects_open([project.proposal_id]) == 0  # safe to run again


def test_a_proposal_not_chosen_gets_no_project(world):
    proposal = make_proposal(world, status="not_chosen")
    assert projects_open([proposal.pk]) == 0


def test_the_office_sets_unit_and_budget_with_the_version(world, project):
    changed = project_set(
        project=project,
        by=world.secretary,
        version=project.version,
        unit=world.county_unit,
        budget="50.5",
    )
    assert changed.unit == world.county_unit and changed.budget == Decimal("50.5")
    with pytest.raises(LivelihoodError) as stale:
        project_set(
            project=project, by=world.secretary, version=1, unit=world.county_unit, budget=50
        )
    assert stale.value.conflict
    with pytest.raises(LivelihoodError) as refused:
        project_set(
            project=changed,
            by=world.other_secretary,
            version=changed.version,
            unit=world.county_unit,
            budget=50,
        )
    assert refused.value.field == "unit"
    with pytest.raises(LivelihoodError) as refused:
        project_set(
            project=changed,
            by=world.secretary,
            version=changed.version,
            unit=world.county_unit,
            budget="-1",
        )
    assert refused.value.field == "budget"


def test_an_allocation_never_exceeds_what_is_left_of_the_pool(world, pool, project):
    allocation_make(pool=pool, project=project, amount="60", by=world.secretary)
    pool.refresh_from_db()
    project.refresh_from_db()
    assert pool.allocated == Decimal(60) and pool.unallocated == Decimal(40)
    assert project.allocated == Decimal(60)
    with pytest.raises(LivelihoodError) as refused:
        allocation_make(pool=pool, project=project, amount="40.01", by=world.secretary)
    assert refused.value.field == "amount" and "40" in str(refused.value)
    allocation_make(pool=pool, project=project, amount="40", by=world.secretary)
    pool.refresh_from_db()
    assert pool.unallocated == 0


def test_the_database_itself_refuses_an_over_allocated_pool(pool):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundPool.objects.filter(pk=pool.pk).update(allocated=Decimal("100.01"))


def test_the_database_refuses_spending_more_than_allocated(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(spent=Decimal("0.01"))


@pytest.mark.parametrize(
    ("who", "amount", "field"),
    [
        ("other_secretary", "10", "pool"),
        ("secretary", "0", "amount"),
        ("secretary", "abc", "amount"),
        ("secretary", "1.001", "amount"),
    ],
)
def test_allocation_refusals_name_their_field(world, pool, project, who, amount, field):
    with pytest.raises(LivelihoodError) as refused:
        allocation_make(pool=pool, project=project, amount=amount, by=getattr(world, who))
    assert refused.value.field == field


def test_a_pool_of_another_township_does_not_pay(world, project):
    other = FundPool.objects.create(
        year=2026,
        level="township",
        region=world.other_township,
        funded_by=world.other_township,
        amount=100,
    )
    with pytest.raises(LivelihoodError) as refused:
        allocation_make(pool=other, project=project, amount="1", by=world.other_secretary)
    assert refused.value.field == "pool"


def test_the_county_pool_pays_for_a_township_project(world, project):
    county_pool = fund_pool_set(
        by=world.county_secretary,
        year=2026,
        level="township",
        region=world.county,
        funded_by=world.county,
        amount=Decimal(200),
    )
    allocation_make(pool=county_pool, project=project, amount="20", by=world.county_secretary)
    with pytest.raises(LivelihoodError) as refused:
        fund_pool_set(
            by=world.county_secretary,
            year=2026,
            level="township",
            region=world.county,
            funded_by=world.county,
            amount=Decimal(10),
        )
    assert refused.value.field == "amount"


def test_the_unit_reports_progress_and_spends_within_the_allocation(world, pool, project):
    allocation_make(pool=pool, project=project, amount="45", by=world.secretary)
    unit = world.township_unit_contact
    report = progress_report(
        project=project, by=unit, text="路基已平整", spent="20", photos=[photo()]
    )
    project.refresh_from_db()
    assert project.state == Project.State.UNDER_WAY and project.started_on == report.on
    assert project.spent == Decimal(20) and report.photos.count() == 1
    with pytest.raises(LivelihoodError) as refused:
        progress_report(project=project, by=unit, text="浇筑", spent="25.01")
    assert refused.value.field == "spent" and "25" in str(refused.value)
    with pytest.raises(LivelihoodError) as refused:
        progress_report(project=project, by=unit, text="浇筑", spent="-1")
    assert refused.value.field == "spent"
    progress_report(project=project, by=unit, text="硬化完成，通车", spent="25", completes=True)
    project.refresh_from_db()
    assert project.state == Project.State.COMPLETED and project.spent == Decimal(45)
    assert project.completion_note == "硬化完成，通车" and project.completed_on
    with pytest.raises(LivelihoodError) as refused:
        progress_report(project=project, by=unit, text="again")
    assert refused.value.field == "project"


@pytest.mark.parametrize(
    ("who", "changes", "field"),
    [
        ("outsider", {}, "project"),
        ("county_unit_contact", {}, "project"),
        ("township_unit_contact", {"text": " "}, "text"),
        ("township_unit_contact", {"photos": [photo("x.png", b"<html>")]}, "photos"),
        ("township_unit_contact", {"photos": [photo("x.gif", b"GIF89a")]}, "photos"),
        ("township_unit_contact", {"completes": True}, "photos"),
        ("township_unit_contact", {"on": dt.date(2100, 1, 1)}, "on"),
    ],
)
def test_progress_refusals_name_their_field(world, project, who, changes, field):
    with pytest.raises(LivelihoodError) as refused:
        progress_report(project=project, by=getattr(world, who), **{"text": "进展", **changes})
    assert refused.value.field == field


def test_milestones_late_and_done(world, project):
    unit = world.township_unit_contact
    late = milestone_add(project=project, by=unit, title="路基", due=dt.date(2026, 1, 10))
    milestone_add(project=project, by=unit, title="硬化", due=dt.date(2099, 1, 10))
    assert list(Project.objects.late(dt.date(2026, 2, 1))) == [project]
    milestone_done(milestone=late, by=unit, on=dt.date(2026, 1, 20))
    assert not Project.objects.late(dt.date(2026, 2, 1)).exists()
    with pytest.raises(LivelihoodError) as refused:
        milestone_add(project=project, by=unit, title="", due=dt.date(2026, 3, 1))
    assert refused.value.field == "title"
    with pytest.raises(LivelihoodError) as refused:
        milestone_add(project=project, by=world.outsider, title="x", due=dt.date(2026, 3, 1))
    assert refused.value.field == "project"
    assert Milestone.objects.count() == 2


def test_a_unit_contact_sees_only_its_units_projects(world, project):
    assert list(Project.objects.visible_to(world.township_unit_contact)) == [project]
    assert not Project.objects.visible_to(world.county_unit_contact).exists()
    assert not Project.objects.visible_to(world.other_secretary).exists()
    assert Project.objects.visible_to(world.secretary).exists()
    assert Project.objects.visible_to(world.staff).exists()
