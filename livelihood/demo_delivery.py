"""Demo of 办 Implement, run after the proposals and votes of ``livelihood/demo.py``: every
chosen project of this year has money from its pools and two milestones; the 飞跃桥 road of
黄茅园镇 (黄茅园镇七届人大四次会议) is carried out through the services — an allocation from
黄茅园镇's pool, milestones, progress reports with photos — and completed at the end of
September; 金中村's water pipes have a late milestone; the others are under way.

Bulk where it can be (the pools' and projects' ``allocated`` columns set from the rows in
one statement each, the database's constraints still holding), so it stays fast."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from livelihood.delivery import allocation_make, milestone_add, milestone_done, progress_report
from livelihood.models import Allocation, FundPool, Milestone, Project
from organisation.models import User
from organisation.roles import Role

ROAD = "大埠至黄金街飞跃桥道路硬化"
LATE = "金中村饮水管网改造"
CENT = Decimal("0.01")


def tiny_png(rgb: tuple[int, int, int]) -> bytes:
    """An 8×6 one-colour PNG, enough for a demo photo."""
    width, height = 8, 6
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _photo(name: str, rgb) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(rgb), content_type="image/png")


def seed_delivery(year: int) -> str:
    if Allocation.objects.exists():
        return "already seeded"
    today = timezone.localdate()
    projects = list(
        Project.objects.filter(proposal__year=year)
        .select_related("proposal__region")
        .order_by("proposal__region__path", "pk")
    )
    if not projects:
        return "no chosen projects"
    road = next((p for p in projects if p.proposal.title == ROAD), None)
    late = next((p for p in projects if p.proposal.title == LATE), None)
    # The others: money from their own region's pool while it lasts, else the one around it.
    pools = {
        (p.level, p.region.path): p
        for p in FundPool.objects.filter(year=year).select_related("region")
    }
    left = {key: pool.amount for key, pool in pools.items()}
    for kept in (road, late):  # their money comes from their own township's pool, below
        if kept is not None:
            key = (kept.proposal.level, kept.proposal.region.path)
            if key in left:
                left[key] -= min(left[key], kept.budget)
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    rows, milestones = [], []
    start = dt.date(year, 4, 10)
    for i, project in enumerate(p for p in projects if p not in (road, late)):
        proposal = project.proposal
        path = proposal.region.path
        while path:
            key = (proposal.level, path)
            if key in pools and left[key] >= project.budget:
                left[key] -= project.budget
                rows.append(
                    Allocation(
                        pool=pools[key], project=project, amount=project.budget, by=admin, on=start
                    )
                )
                break
            path = path[: path.rstrip("/").rfind("/") + 1]
        due = start + dt.timedelta(days=60 + i % 40)
        milestones.append(Milestone(project=project, title="开工", due=due, done_on=due))
        milestones.append(
            Milestone(project=project, title="主体完工", due=dt.date(year + 1, 3, 1 + i % 28))
        )
    Allocation.objects.bulk_create(rows, batch_size=1000)
    Milestone.objects.bulk_create(milestones, batch_size=1000)
    money = DecimalField(max_digits=12, decimal_places=2)

    def total(**match):
        return Coalesce(
            Subquery(
                Allocation.objects.filter(**match)
                .values(*match)
                .annotate(s=Sum("amount"))
                .values("s")[:1],
                output_field=money,
            ),
            Decimal(0),
            output_field=money,
        )

    FundPool.objects.filter(year=year).update(allocated=total(pool=OuterRef("pk")))
    Project.objects.filter(pk__in=[r.project_id for r in rows]).update(
        allocated=total(project=OuterRef("pk"))
    )
    under_way = list(Project.objects.filter(pk__in=[r.project_id for r in rows]))
    for j, project in enumerate(under_way):
        project.state = Project.State.UNDER_WAY
        project.started_on = start + dt.timedelta(days=j % 30)
        project.spent = (project.allocated * Decimal((30 + j % 50) / 100)).quantize(CENT)
    Project.objects.bulk_update(under_way, ["state", "started_on", "spent"], batch_size=1000)
    told = [f"{len(rows)} allocations, {len(under_way)} projects under way"]
    if road:
        told.append(_road(road, year, today))
    if late:
        told.append(_late(late, year, today))
    return "; ".join(told)


def _township_people(project: Project) -> tuple[User | None, User | None]:
    region = project.proposal.region
    secretary = User.objects.filter(role=Role.SECRETARY, region=region, is_active=True).first()
    contact = User.objects.filter(role=Role.UNIT, unit=project.unit_id, is_active=True).first()
    return secretary, contact


def _road(road: Project, year: int, today: dt.date) -> str:
    """The seeds' road: 46.8万 from 黄茅园镇's pool in April, done at the end of September."""
    secretary, contact = _township_people(road)
    if secretary is None or contact is None:
        return "飞跃桥: no secretary or unit contact"
    pool = FundPool.objects.get(year=year, level=road.proposal.level, region=road.proposal.region)
    end = min(dt.date(year, 9, 28), today)
    allocation_make(
        pool=pool, project=road, amount=road.budget, by=secretary, on=min(dt.date(year, 4, 8), end)
    )
    steps = [
        ("路基清理与排水沟开挖", dt.date(year, 5, 20), dt.date(year, 5, 18)),
        ("水泥稳定层铺设", dt.date(year, 7, 15), dt.date(year, 7, 20)),
        ("沥青路面油化", dt.date(year, 9, 10), dt.date(year, 9, 12)),
        ("竣工验收", dt.date(year, 9, 30), end),
    ]
    for title, due, done in steps:
        made = milestone_add(project=road, by=contact, title=title, due=due)
        if done <= today:
            milestone_done(milestone=made, by=contact, on=done)
    reports = [
        ("5月18日路基清理完成，排水沟开挖315米。", "12.00", (150, 120, 90), False, 5, 18),
        ("7月20日水泥稳定层全部铺设，养护中。", "18.50", (140, 140, 140), False, 7, 20),
        (
            "飞跃桥段315米路面油化完成，9月28日通过验收，正式通车，沿线1060名群众出行受益。",
            "16.30",
            (60, 60, 60),
            True,
            9,
            28,
        ),
    ]
    for text, spent, colour, completes, month, day in reports:
        on = dt.date(year, month, day)
        if on > today:
            break
        road.refresh_from_db()
        progress_report(
            project=road,
            by=contact,
            text=text,
            spent=spent,
            photos=[_photo(f"feiyueqiao-{month}-{day}.png", colour)],
            completes=completes,
            on=on,
        )
    road.refresh_from_db()
    return f"飞跃桥: {road.get_state_display()} {road.completed_on or ''}"


def _late(late: Project, year: int, today: dt.date) -> str:
    """金中村's pipes: money allocated, the pipe trench milestone three weeks late."""
    secretary, contact = _township_people(late)
    if secretary is None or contact is None:
        return "金中村: no secretary or unit contact"
    pool = FundPool.objects.get(year=year, level=late.proposal.level, region=late.proposal.region)
    amount = min(late.budget, pool.amount - pool.allocated)
    if amount > 0:
        allocation_make(pool=pool, project=late, amount=amount, by=secretary)
    done = milestone_add(
        project=late, by=contact, title="管材采购", due=today - dt.timedelta(days=60)
    )
    milestone_done(milestone=done, by=contact, on=today - dt.timedelta(days=62))
    milestone_add(project=late, by=contact, title="主管网开挖铺设", due=today - dt.timedelta(21))
    milestone_add(project=late, by=contact, title="通水验收", due=today + dt.timedelta(days=40))
    late.refresh_from_db()
    if late.allocated:
        progress_report(
            project=late,
            by=contact,
            text="管材已到场，因雨季施工延误，主管网开挖完成约四成。",
            spent=min(Decimal("9.60"), late.allocated),
            photos=[_photo("jinzhong-pipes.png", (70, 110, 160))],
        )
    return "金中村: a milestone 21 days late"
