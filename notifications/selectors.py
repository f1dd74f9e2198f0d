"""Reads of notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.channels import external_channels
from notifications.models import ChannelChoice, Notification


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.visible_to(user)
    if unread_only:
        queryset = queryset.unread()
    return queryset.order_by("-created_at", "-pk")


#: Where a page that has already counted the user's unread notifications (the home
#: panel's window count) leaves the figure for the header badge of the same request.
COUNTED = "_unread_notifications"


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    counted = getattr(user, COUNTED, None)
    if counted is not None:
        return counted
    return Notification.objects.visible_to(user).unread().count()


def remember_unread_count(user, count: int) -> None:
    """Keep ``count`` for the rest of this request (``request.user`` lives as long as it)."""
    setattr(user, COUNTED, count)


def channel_choices_of(user) -> dict[str, bool]:
    """Each external channel's current setting for the user (their choice or the default)."""
    chosen = dict(ChannelChoice.objects.filter(user=user).values_list("channel", "enabled"))
    return {c.name: chosen.get(c.name, c.default_enabled) for c in external_channels()}
