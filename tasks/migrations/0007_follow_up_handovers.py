# Every supervision follow-up item becomes a handover 交办 of kind "follow_up" to its unit,
# kept by the city's office (the root of the unit's region, else the city), led by the
# visit's leader, due on the item's due date, handed over the day the item was written
# down (its first history entry; the visit's day when that is missing or after the due
# date). An item closed under the old rule (the unit closed it itself) is answered with
# its closing note and the evidence it was closed with (the same stored files), by
# whoever closed it, and verified and closed that day. No notices are sent. Backwards,
# the follow-ups' handovers are deleted (the items never changed).
# The logic is this migration's own frozen copy, on the historical models.

import datetime as dt

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone

BATCH = 2000


def at(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def items_to_handovers(apps, schema_editor):
    db = schema_editor.connection.alias
    FollowUpItem = apps.get_model("tasks", "FollowUpItem")
    HistoricalFollowUpItem = apps.get_model("tasks", "HistoricalFollowUpItem")
    Evidence = apps.get_model("tasks", "Evidence")
    Region = apps.get_model("organisation", "Region")
    Handover = apps.get_model("handovers", "Handover")
    Step = apps.get_model("handovers", "Step")
    HandoverFile = apps.get_model("handovers", "HandoverFile")
    ContentType = apps.get_model("contenttypes", "ContentType")
    items = FollowUpItem.objects.using(db)
    if not items.exists():
        return
    roots = dict(Region.objects.using(db).filter(parent__isnull=True).values_list("code", "pk"))
    city = (
        Region.objects.using(db).filter(level="city").order_by("path").values_list("pk", flat=True)
    ).first() or next(iter(roots.values()), None)
    if city is None:
        return  # no region at all: nothing could keep them
    subject_type, _created = ContentType.objects.using(db).get_or_create(
        app_label="tasks", model="followupitem"
    )
    done = set(
        Handover.objects.using(db)
        .filter(kind="follow_up", subject_type=subject_type)
        .values_list("subject_id", flat=True)
    )
    history = HistoricalFollowUpItem.objects.using(db).filter(id=OuterRef("pk"))
    first = history.order_by("history_date")
    rows = []
    for item in (
        items.select_related("visit", "unit__region")
        .annotate(
            written_at=Subquery(first.values("history_date")[:1]),
            written_by=Subquery(first.values("history_user")[:1]),
        )
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    ):
        if item.pk in done:
            continue
        region = city
        if item.unit.region is not None:
            region = roots.get(item.unit.region.path.strip("/").split("/")[0], city)
        handed_on = (
            timezone.localdate(item.written_at) if item.written_at else item.visit.visited_on
        )
        if handed_on > item.due_date:
            handed_on = item.visit.visited_on
        handed_on = min(handed_on, item.due_date)
        closed_on = max(item.closed_on, handed_on) if item.closed_on else None
        description = " ".join(item.description.split())
        handover = Handover(
            kind="follow_up",
            subject_type=subject_type,
            subject_id=item.pk,
            title=(description[:119] + "…") if len(description) > 120 else description,
            region_id=region,
            unit_id=item.unit_id,
            checked_by="office",
            leader_id=item.visit.leader_id,
            handed_on=handed_on,
            handed_by_id=item.written_by or item.visit.recorded_by_id,
            first_due_on=item.due_date,
            due_on=item.due_date,
            state="closed" if closed_on else "handed",
            answer=item.closing_note if closed_on else "",
            answered_on=closed_on,
            closed_on=closed_on,
            closure="verified" if closed_on else "",
        )
        rows.append((item, handover))
    Handover.objects.using(db).bulk_create([h for _i, h in rows], batch_size=BATCH)
    steps, answers = [], {}
    for item, handover in rows:
        steps.append(
            Step(
                handover=handover,
                action="handed",
                round=1,
                at=at(handover.handed_on, 9),
                by_id=handover.handed_by_id,
                unit_id=item.unit_id,
                due_on=handover.due_on,
            )
        )
        if handover.closed_on:
            answers[item.pk] = Step(
                handover=handover,
                action="answered",
                round=1,
                at=at(handover.closed_on, 11),
                by_id=item.closed_by_id,
                unit_id=item.unit_id,
                text=item.closing_note,
            )
            steps.append(answers[item.pk])
            steps.append(
                Step(
                    handover=handover,
                    action="verified",
                    round=1,
                    at=at(handover.closed_on, 15),
                    unit_id=item.unit_id,
                )
            )
    Step.objects.using(db).bulk_create(steps, batch_size=BATCH * 3)
    HandoverFile.objects.using(db).bulk_create(
        [
            HandoverFile(
                step=answers[evidence.follow_up_id],
                file=evidence.file.name,
                name=evidence.original_name,
                content_type=evidence.content_type,
                size=evidence.size,
            )
            for evidence in Evidence.objects.using(db)
            .filter(follow_up_id__in=list(answers))
            .order_by("pk")
        ],
        batch_size=BATCH,
    )


def follow_up_handovers_delete(apps, schema_editor):
    db = schema_editor.connection.alias
    Handover = apps.get_model("handovers", "Handover")
    Handover.objects.using(db).filter(kind="follow_up").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("handovers", "0001_initial"),
        ("tasks", "0006_import_job"),
    ]

    operations = [
        migrations.RunPython(items_to_handovers, follow_up_handovers_delete, elidable=False),
    ]
