"""Writes to notifications: recording reminders exactly once, delivering them, reading them.

The exactly-once rule lives here, once:

1. :func:`notifications_record` turns a queryset of candidates into notification rows
   with one ``INSERT ... SELECT ... ON CONFLICT (user_id, key) DO NOTHING``. Two sweeps
   running at the same moment both try to insert; PostgreSQL makes the second wait on
   the unique index and then skip the row, so each reminder is inserted by exactly one
   sweep. In the same transaction the rows *this* sweep inserted (its ``batch``) fan
   out to the user's channels as :class:`Delivery` rows, so a crash can never leave a
   notification without its deliveries.
2. :func:`deliveries_dispatch` claims open deliveries with ``SELECT ... FOR UPDATE SKIP
   LOCKED`` and a conditional update to ``sending``, sends them and marks them ``sent``.
   A worker killed mid-way leaves ``sending`` rows whose lease runs out; the next
   dispatch sends them. (A crash in the instant between the mail server accepting a
   message and the ``sent`` update is the one window in which a mail may go twice; no
   mail protocol lets us close it.)
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.channels import ChannelError, channel_named, external_channels
from notifications.models import CLAIM_LEASE, ChannelChoice, Delivery, Notification

logger = logging.getLogger(__name__)

# The columns a candidates queryset must annotate, in this order (see notifications_record).
CANDIDATE_COLUMNS = ("n_user", "n_key", "n_title", "n_body", "n_url")
MAX_ATTEMPTS = 5


class NotificationError(Exception):
    """A rule about notifications was broken; the message is safe to show."""


@dataclass(frozen=True)
class Recorded:
    """What one call of :func:`notifications_record` inserted."""

    batch: str
    count: int


def notifications_record(
    *, kind: str, candidates: QuerySet, now: datetime | None = None
) -> Recorded:
    """Insert one notification per candidate row that has none with its key yet.

    ``candidates`` is any queryset annotated with ``n_user`` (recipient id), ``n_key``,
    ``n_title``, ``n_body`` and ``n_url``; it is never loaded into Python, so a sweep
    over 100,000 deadlines is one statement. Returns the batch id and how many rows
    this call inserted; only those rows are delivered by this call's dispatch.
    """
    now = now or timezone.now()
    batch = uuid.uuid4().hex
    inner, params = candidates.values(*CANDIDATE_COLUMNS).query.sql_with_params()
    qn = connection.ops.quote_name
    table = qn(Notification._meta.db_table)
    columns = ", ".join(
        qn(c) for c in ("user_id", "key", "title", "body", "url", "kind", "created_at", "batch")
    )
    picked = ", ".join(f"c.{qn(c)}" for c in CANDIDATE_COLUMNS)
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT.
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {picked}, %s, %s, %s FROM ({inner}) c "
        f"WHERE true ON CONFLICT ({qn('user_id')}, {qn('key')}) DO NOTHING"
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                # The outer SELECT's placeholders come before the subquery's in the text.
                sql,
                [kind, connection.ops.adapt_datetimefield_value(now), batch, *params],
            )
            count = cursor.rowcount
        if count:
            _fan_out(batch)
    return Recorded(batch=batch, count=max(count, 0))


def _fan_out(batch: str) -> None:
    """Create the deliveries of one batch, one INSERT ... SELECT per external channel."""
    User = get_user_model()
    qn = connection.ops.quote_name
    table = qn(Delivery._meta.db_table)
    for channel in external_channels():
        chose = ChannelChoice.objects.filter(user=OuterRef("user"), channel=channel.name)
        wanted = Exists(chose.filter(enabled=True))
        if channel.default_enabled:
            wanted |= ~Exists(chose)
        reachable = User.objects.filter(channel.recipient_q(), is_active=True)
        rows = (
            Notification.objects.filter(wanted, batch=batch, user__in=reachable)
            .annotate(d_notification=F("pk"), d_channel=Value(channel.name))
            .values("d_notification", "d_channel")
        )
        inner, params = rows.query.sql_with_params()
        columns = ", ".join(
            qn(c) for c in ("notification_id", "channel", "status", "attempts", "error")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "
                f"SELECT c.{qn('d_notification')}, c.{qn('d_channel')}, %s, 0, '' "
                f"FROM ({inner}) c WHERE true ON CONFLICT DO NOTHING",
                [Delivery.Status.PENDING, *params],
            )


def notification_send(
    *, user, kind: str, title: str, body: str = "", url: str = "", key: str
) -> bool:
    """Record and send one notification; a second call with the same key does nothing.

    Returns True when this call recorded it. Delivery runs after the commit.
    """
    if not key:
        raise NotificationError(_("A notification needs a key."))
    User = get_user_model()
    candidates = User.objects.filter(pk=user.pk).annotate(
        n_user=F("pk"),
        n_key=Value(key),
        n_title=Value(title[:200]),
        n_body=Value(body),
        n_url=Value(url),
    )
    recorded = notifications_record(kind=kind, candidates=candidates)
    if recorded.count:
        dispatch_on_commit(recorded.batch)
    return bool(recorded.count)


def dispatch_on_commit(batch: str | None = None) -> None:
    from notifications.tasks import dispatch_deliveries

    transaction.on_commit(lambda: dispatch_deliveries.delay(batch))


def _claim(*, batch: str | None, limit: int, now: datetime) -> list[Delivery]:
    open_q = Q(status=Delivery.Status.PENDING, claimed_at__isnull=True) | Q(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING],
        claimed_at__lt=now - CLAIM_LEASE,
    )
    with transaction.atomic():
        queryset = Delivery.objects.filter(open_q)
        if batch:
            queryset = queryset.filter(notification__batch=batch)
        # SKIP LOCKED: a second dispatcher takes other rows instead of waiting for ours.
        ids = list(
            queryset.select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(Delivery.objects.filter(pk__in=ids).select_related("notification__user"))


def deliveries_dispatch(
    *, batch: str | None = None, limit: int = 200, now: datetime | None = None
) -> int:
    """Send open deliveries (of one batch, or all); returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    while True:
        claimed = _claim(batch=batch, limit=limit, now=now)
        for delivery in claimed:
            channel = channel_named(delivery.channel)
            try:
                if channel is None:
                    raise ChannelError(f"unknown channel {delivery.channel}")
                channel.send(delivery.notification)
            except Exception as error:  # any gateway failure: record it, retry after the lease
                logger.warning("delivery %s on %s failed: %s", delivery.pk, delivery.channel, error)
                failed = delivery.attempts >= MAX_ATTEMPTS
                Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
                    status=Delivery.Status.FAILED if failed else Delivery.Status.PENDING,
                    error=str(error)[:300],
                )
                continue
            Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.SENT, sent_at=timezone.now()
            )
            sent += 1
        if len(claimed) < limit:
            return sent


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False when it was already read."""
    updated = Notification.objects.filter(
        pk=notification_id, user=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated)


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def channel_choices_set(*, user, choices: dict[str, bool]) -> None:
    """Store the user's choice for each external channel."""
    for name, enabled in choices.items():
        if channel_named(name) is None:
            raise NotificationError(_("Unknown channel."))
        ChannelChoice.objects.update_or_create(
            user=user, channel=name, defaults={"enabled": enabled}
        )
