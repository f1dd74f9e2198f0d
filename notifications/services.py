"""Writes to notifications: recording reminders exactly once, delivering them, reading them.

The exactly-once rule lives here, once:

1. :func:`notifications_record` turns a queryset of candidates into notification rows
   with one ``INSERT ... SELECT ... ON CONFLICT (user_id, key) DO NOTHING``. Two sweeps
   running at the same moment both try to insert; PostgreSQL makes the second wait on
   the unique index and then skip the row, so each reminder is inserted by exactly one
   sweep. The rows *this* call inserted fan out to the user's channels as
   :class:`Delivery` rows in the same statement (PostgreSQL: the INSERT's RETURNING
   feeds the deliveries' INSERT) or transaction (other databases: by ``batch``), so a
   crash can never leave a notification without its deliveries.
2. :func:`deliveries_dispatch` claims open deliveries with ``SELECT ... FOR UPDATE SKIP
   LOCKED`` and a conditional update to ``sending``, sends them and marks them ``sent``.
   After the commit a sweep queues one dispatch job per 500 new deliveries.
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

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress_portal.errors import DomainError
from notifications.channels import ChannelError, channel_named, external_channels
from notifications.models import CLAIM_LEASE, ChannelChoice, Delivery, Notification

logger = logging.getLogger(__name__)

# The columns a candidates queryset must annotate, in this order (see notifications_record).
CANDIDATE_COLUMNS = ("n_user", "n_key", "n_title", "n_body", "n_url")
MAX_ATTEMPTS = 5
# Deliveries per dispatch job queued by a sweep (see dispatch_on_commit).
DISPATCH_CHUNK = 500


class NotificationError(DomainError):
    """A rule about notifications was broken; the message is safe to show."""


@dataclass(frozen=True)
class Recorded:
    """What one call of :func:`notifications_record` inserted."""

    batch: str
    count: int
    deliveries: int = 0


def notifications_record(
    *, kind: str, candidates: QuerySet, now: datetime | None = None
) -> Recorded:
    """Insert one notification per candidate row that has none with its key yet.

    ``candidates`` is any queryset annotated with ``n_user`` (recipient id), ``n_key``,
    ``n_title``, ``n_body`` and ``n_url``; it is never loaded into Python, so a sweep
    over 100,000 deadlines is one statement. Returns the batch id, how many
    notifications and how many deliveries this call inserted; only those deliveries
    are new work for a dispatcher.
    """
    now = now or timezone.now()
    batch = uuid.uuid4().hex
    # No ORDER BY: the models' default orderings would join and sort 100,000 rows
    # (Task's ordering alone adds two joins) for an INSERT that has no order.
    try:
        inner, params = candidates.order_by().values(*CANDIDATE_COLUMNS).query.sql_with_params()
    except EmptyResultSet:  # Django knows it matches nothing (.none(), pk__in=[]): no SQL
        return Recorded(batch=batch, count=0)
    # The SQL below is built as text (bandit B608, marked "nosec" where it stands): every
    # name is quoted from the models' metadata, every subquery is compiled by the ORM
    # with its parameters kept apart, and every value is a bound parameter.
    qn = connection.ops.quote_name
    table = qn(Notification._meta.db_table)
    columns = ", ".join(
        qn(c) for c in ("user_id", "key", "title", "body", "url", "kind", "created_at", "batch")
    )
    picked = ", ".join(f"c.{qn(c)}" for c in CANDIDATE_COLUMNS)
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT.
    insert = (
        f"INSERT INTO {table} ({columns}) SELECT {picked}, %s, %s, %s FROM ({inner}) c "  # nosec B608
        f"WHERE true ON CONFLICT ({qn('user_id')}, {qn('key')}) DO NOTHING"
    )
    # The outer SELECT's placeholders come before the subquery's in the text.
    insert_params = [kind, connection.ops.adapt_datetimefield_value(now), batch, *params]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            count, deliveries = _record_with_deliveries(insert, insert_params)
        else:
            with connection.cursor() as cursor:
                cursor.execute(insert, insert_params)
                count = max(cursor.rowcount, 0)
            deliveries = _fan_out(batch, now) if count else 0
    return Recorded(batch=batch, count=count, deliveries=deliveries)


def _wanted_by(channel) -> QuerySet:
    """Ids of the active users this channel can reach and who want it (or did not choose)."""
    User = get_user_model()
    chose = ChannelChoice.objects.filter(user=OuterRef("pk"), channel=channel.name)
    wanted: Combinable | Q = Exists(chose.filter(enabled=True))
    if channel.default_enabled:
        wanted |= ~Exists(chose)
    return (
        User.objects.filter(channel.recipient_q(), wanted, is_active=True).order_by().values("pk")
    )


def _record_with_deliveries(insert: str, insert_params: list) -> tuple[int, int]:
    """PostgreSQL: the notifications and their deliveries in one statement.

    The INSERT's RETURNING rows feed the deliveries' INSERT inside the server (a
    data-modifying CTE), so the rows this call inserted are known without a second
    look-up and without sending 100,000 ids to Python and back; only two counts come
    back. One statement is also one snapshot: a notification never exists without
    its deliveries.
    """
    qn = connection.ops.quote_name
    table = qn(Delivery._meta.db_table)
    columns = ", ".join(
        qn(c) for c in ("notification_id", "channel", "status", "attempts", "error")
    )
    ctes = [f"ins AS ({insert} RETURNING {qn('id')}, {qn('user_id')})"]
    params = list(insert_params)
    counted = []
    for n, channel in enumerate(external_channels()):
        users, user_params = _wanted_by(channel).query.sql_with_params()
        ctes.append(
            f"d{n} AS (INSERT INTO {table} ({columns}) "  # nosec B608
            f"SELECT ins.{qn('id')}, %s, %s, 0, '' FROM ins "
            f"WHERE ins.{qn('user_id')} IN ({users}) ON CONFLICT DO NOTHING RETURNING 1)"
        )
        params += [channel.name, Delivery.Status.PENDING, *user_params]
        counted.append(f"(SELECT count(*) FROM d{n})")  # nosec B608
    sql = f"WITH {', '.join(ctes)} SELECT (SELECT count(*) FROM ins), {' + '.join(counted) or '0'}"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, deliveries = cursor.fetchone()
    return count, deliveries


def _fan_out(batch: str, now: datetime) -> int:
    """Other databases: the deliveries of one batch, one INSERT ... SELECT per channel.

    ``created_at`` (indexed, the same instant for the whole batch) finds the batch's
    rows without an index on ``batch`` that every insert would have to maintain.
    """
    qn = connection.ops.quote_name
    table = qn(Delivery._meta.db_table)
    created = 0
    for channel in external_channels():
        rows = (
            Notification.objects.filter(created_at=now, batch=batch, user__in=_wanted_by(channel))
            .annotate(d_notification=F("pk"), d_channel=Value(channel.name))
            .order_by()
            .values("d_notification", "d_channel")
        )
        inner, params = rows.query.sql_with_params()
        columns = ", ".join(
            qn(c) for c in ("notification_id", "channel", "status", "attempts", "error")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # nosec B608
                f"SELECT c.{qn('d_notification')}, c.{qn('d_channel')}, %s, 0, '' "
                f"FROM ({inner}) c WHERE true ON CONFLICT DO NOTHING",
                [Delivery.Status.PENDING, *params],
            )
            created += max(cursor.rowcount, 0)
    return created


def notification_send(
    *, user, kind: str, title: str, body: str = "", url: str = "", key: str
) -> bool:
    """Record and send one notification; a second call with the same key does nothing.

    Returns True when this call recorded it. Delivery runs after the commit.
    """
    User = get_user_model()
    return bool(
        notifications_send(
            users=User.objects.filter(pk=user.pk),
            kind=kind,
            title=title,
            body=body,
            url=url,
            key=key,
        )
    )


def notifications_send(
    *, users: QuerySet, kind: str, title: str, body: str = "", url: str = "", key: str
) -> int:
    """Record and send one notice about one event to each of ``users``.

    For the outcomes the modules' services announce (a report reviewed, an opinion
    received): call it inside the transaction of the outcome, with a ``key`` naming the
    event ("progress-reviewed:42:3"). The notices then commit or roll back with the
    outcome, and a retried or repeated call inserts nothing for anyone who already has
    one with that key. Returns how many this call recorded; delivery runs after the commit.
    """
    if not key:
        raise NotificationError(_("A notification needs a key."))
    candidates = users.annotate(
        n_user=F("pk"),
        n_key=Value(key),
        n_title=Value(title[:200]),
        n_body=Value(body),
        n_url=Value(url),
    )
    recorded = notifications_record(kind=kind, candidates=candidates)
    dispatch_on_commit(recorded.deliveries)
    return recorded.count


def dispatch_on_commit(deliveries: int) -> None:
    """After the commit, queue the sending of that many new deliveries.

    One job per :data:`DISPATCH_CHUNK` deliveries, each told only how many to send:
    a job claims whichever open deliveries are next (SKIP LOCKED), so no list of ids
    travels through Python or the broker, several workers share a big sweep, and each
    job stays far inside its time limit however slow the mail server is.
    """
    if deliveries <= 0:
        return
    from notifications.jobs import queue_dispatch

    jobs = -(-deliveries // DISPATCH_CHUNK)
    transaction.on_commit(lambda: queue_dispatch(jobs=jobs, at_most=DISPATCH_CHUNK))


def _claim(*, limit: int, now: datetime) -> list[Delivery]:
    open_q = Q(status=Delivery.Status.PENDING, claimed_at__isnull=True) | Q(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING],
        claimed_at__lt=now - CLAIM_LEASE,
    )
    with transaction.atomic():
        # SKIP LOCKED: a second dispatcher takes other rows instead of waiting for ours.
        ids = list(
            Delivery.objects.filter(open_q)
            .select_for_update(skip_locked=True)
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
    *, at_most: int | None = None, claim: int = 200, now: datetime | None = None
) -> int:
    """Send open deliveries, at most ``at_most`` of them (None: until none is left).

    Open means pending, or claimed by a dispatcher longer ago than ``CLAIM_LEASE``
    (that dispatcher died). Returns how many were sent. ``now`` lets a test move the
    clock past a lease.
    """
    sent = handled = 0
    while at_most is None or handled < at_most:
        limit = claim if at_most is None else min(claim, at_most - handled)
        claimed = _claim(limit=limit, now=now or timezone.now())
        handled += len(claimed)
        for delivery in claimed:
            channel = channel_named(delivery.channel)
            try:
                if channel is None:
                    raise ChannelError(f"unknown channel {delivery.channel}")
                channel.send(delivery.notification)
            except SoftTimeLimitExceeded:
                # The job ran out of time: stop here. This delivery stays "sending" and the
                # lease hands it to the next dispatch; the rest are still pending.
                raise
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
            break
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
