# Every reception referred to a unit becomes a handover 交办 of kind "referral" with the
# steps it went through, on the days they happened: handed over the day it was received
# (by whoever recorded it), due on its referral deadline (a month later when it had
# none); answered, with its result, the first day the result was written (its history),
# else the day it was closed, else today; verified and closed, with the constituent's
# feedback, the day it was closed, by whoever closed it. No notices are sent.
# Backwards, the referrals' handovers are deleted (the receptions never changed).
# The logic is this migration's own frozen copy, on the historical models.

import calendar
import datetime as dt

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone

BATCH = 2000


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def at(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def referrals_to_handovers(apps, schema_editor):
    db = schema_editor.connection.alias
    Reception = apps.get_model("liaison_stations", "Reception")
    HistoricalReception = apps.get_model("liaison_stations", "HistoricalReception")
    Handover = apps.get_model("handovers", "Handover")
    Step = apps.get_model("handovers", "Step")
    ContentType = apps.get_model("contenttypes", "ContentType")
    subject_type, _created = ContentType.objects.using(db).get_or_create(
        app_label="liaison_stations", model="reception"
    )
    done = set(
        Handover.objects.using(db)
        .filter(kind="referral", subject_type=subject_type)
        .values_list("subject_id", flat=True)
    )
    history = HistoricalReception.objects.using(db).filter(id=OuterRef("pk"))
    first_result = history.exclude(result="").order_by("history_date")
    first_closed = history.filter(closed_on__isnull=False).order_by("history_date")
    receptions = (
        Reception.objects.using(db)
        .filter(handling="referred", referred_unit__isnull=False)
        .select_related("station")
        .annotate(
            result_at=Subquery(first_result.values("history_date")[:1]),
            closed_by_id=Subquery(first_closed.values("history_user")[:1]),
        )
        .order_by("pk")
    )
    today = timezone.localdate()
    rows = []
    for reception in receptions.iterator(chunk_size=BATCH):
        if reception.pk in done:
            continue
        handed_on = timezone.localdate(reception.received_at)
        due_on = max(reception.referral_due or add_months(handed_on, 1), handed_on)
        closed_on = max(reception.closed_on, handed_on) if reception.closed_on else None
        answered_on = None
        if reception.result or closed_on:
            answered_on = (
                (timezone.localdate(reception.result_at) if reception.result_at else None)
                or closed_on
                or today
            )
            answered_on = min(max(answered_on, handed_on), closed_on or answered_on)
        state = "closed" if closed_on else "answered" if answered_on else "handed"
        content = " ".join(reception.content.split())
        title = f"{reception.station.name}：{content[:80]}{'…' if len(content) > 80 else ''}"
        handover = Handover(
            kind="referral",
            subject_type=subject_type,
            subject_id=reception.pk,
            title=title[:200],
            region_id=reception.station.region_id,
            unit_id=reception.referred_unit_id,
            checked_by="office",
            handed_on=handed_on,
            handed_by_id=reception.recorded_by_id,
            first_due_on=due_on,
            due_on=due_on,
            state=state,
            answer=reception.result,
            answered_on=answered_on,
            closed_on=closed_on,
            closure="verified" if closed_on else "",
        )
        rows.append((reception, handover))
    Handover.objects.using(db).bulk_create([h for _r, h in rows], batch_size=BATCH)
    steps = []
    for reception, handover in rows:
        unit_id = handover.unit_id
        steps.append(
            Step(
                handover=handover,
                action="handed",
                round=1,
                at=at(handover.handed_on, 9),
                by_id=reception.recorded_by_id,
                unit_id=unit_id,
                due_on=handover.due_on,
            )
        )
        if handover.answered_on:
            steps.append(
                Step(
                    handover=handover,
                    action="answered",
                    round=1,
                    at=at(handover.answered_on, 11),
                    unit_id=unit_id,
                    text=handover.answer,
                )
            )
        if handover.closed_on:
            steps.append(
                Step(
                    handover=handover,
                    action="verified",
                    round=1,
                    at=at(handover.closed_on, 15),
                    by_id=reception.closed_by_id,
                    unit_id=unit_id,
                    text=reception.feedback,
                )
            )
    Step.objects.using(db).bulk_create(steps, batch_size=BATCH * 3)


def referral_handovers_delete(apps, schema_editor):
    db = schema_editor.connection.alias
    Handover = apps.get_model("handovers", "Handover")
    Handover.objects.using(db).filter(kind="referral").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("handovers", "0001_initial"),
        ("liaison_stations", "0006_opinion_submission"),
    ]

    operations = [
        migrations.RunPython(referrals_to_handovers, referral_handovers_delete, elidable=False),
    ]
