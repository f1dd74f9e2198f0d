"""Notifications: the ledger every reminder is recorded in, and their deliveries.

A :class:`Notification` is written *before* anything is sent, under the uniqueness
rule ``(user, key)``. The key names what the reminder is about ("task-due-7:42:2025-03-31"),
so a second sweep, a second beat process or a retried task inserts nothing new and
therefore sends nothing new. The row is also the in-app message shown in the centre.

A :class:`Delivery` is one notification on one external channel (e-mail, SMS). It is
created in the same transaction as its notification, then claimed by exactly one
dispatcher (``SELECT ... FOR UPDATE SKIP LOCKED`` + a conditional update to
``sending``) and marked ``sent``. A worker killed between the claim and the mark
leaves the row ``sending``; after ``CLAIM_LEASE`` another dispatcher claims it again,
so nothing is skipped.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How long a claimed delivery may stay "sending" before another dispatcher retries it.
CLAIM_LEASE = timedelta(minutes=10)


class Kind(models.TextChoices):
    PROGRESS_DUE = "progress_due", _("Monthly progress due")
    MILESTONE_DUE = "milestone_due", _("Milestone approaching")
    DEADLINE_DUE = "deadline_due", _("Deadline approaching")
    OVERDUE = "overdue", _("Overdue escalation")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly dispatch")
    DUTY_TOMORROW = "duty_tomorrow", _("Duty tomorrow")
    REFERRAL_DUE = "referral_due", _("Referral deadline")
    REPORT_READY = "report_ready", _("Report ready")
    PROGRESS_REVIEWED = "progress_reviewed", _("Progress report reviewed")
    OPINION_RECEIVED = "opinion_received", _("Online opinion received")
    HANDOVER = "handover", _("Handover")
    HANDOVER_DUE = "handover_due", _("Handover deadline")
    SESSION_DUE = "session_due", _("Congress session tomorrow")
    OTHER = "other", _("Other")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        # Notifications are personal: nobody, not even staff, reads another person's.
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    # No index of its own: the unique (user, key) index starts with it, and every index
    # costs each of the 100,000 inserts of a province-wide sweep.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What the notification is about, unique per recipient: the exactly-once rule.
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The call that inserted this row. Outside PostgreSQL it lets that call fan out to
    # channels only the rows it inserted itself (found with created_at, which is
    # indexed); on PostgreSQL the insert's RETURNING does that, so no index here.
    batch = models.CharField(max_length=32, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            # The header badge: unread count of one user, on every page.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # Indexed through the unique (notification, channel) constraint, which starts with it.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "claimed_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="delivery_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel}: {self.status}"


class ChannelChoice(models.Model):
    """A user's choice for one external channel; no row means the channel's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_choices"
    )
    channel = models.CharField(_("channel"), max_length=20)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="channel_choice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.enabled}"
