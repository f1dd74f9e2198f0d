"""Delivery channels. The in-app centre always keeps every notification; these are
the channels a user may add on top of it.

A channel is a small class with a ``name``, a ``label``, whether it is on for users who
have not chosen (``default_enabled``), which users can receive it at all
(``recipient_q``) and ``send(notification)``. Adding an SMS gateway means writing one
such class and naming it in ``settings.NOTIFICATION_CHANNELS``; the sweeps never know
which channels exist.
"""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = ["notifications.channels.EmailChannel"]


class ChannelError(Exception):
    """The channel could not deliver; the dispatcher records it and retries later."""


class Channel:
    name: str = ""
    label = ""
    default_enabled: bool = False

    def recipient_q(self) -> Q:
        """Users this channel can reach (e.g. those with an e-mail address)."""
        return Q()

    def send(self, notification: Notification) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's mail: the console backend in the embedded run, SMTP from EMAIL_URL."""

    name = "email"
    label = _("E-mail")
    default_enabled = True

    def recipient_q(self) -> Q:
        return ~Q(email="")

    def send(self, notification: Notification) -> None:
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
        send_mail(
            subject=notification.title,
            message=body,
            from_email=None,
            recipient_list=[notification.user.email],
        )


class SmsChannel(Channel):
    """Base for an SMS gateway: subclass it, implement ``deliver_text`` and register it.

    Off by default: text messages cost money and need the user's consent.
    """

    name = "sms"
    label = _("Text message")
    default_enabled = False

    def recipient_q(self) -> Q:
        return ~Q(phone="")

    def send(self, notification: Notification) -> None:
        self.deliver_text(notification.user.phone, notification.title)

    def deliver_text(self, phone: str, text: str) -> None:
        raise NotImplementedError


@cache
def _load(paths: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in paths)


def external_channels() -> tuple[Channel, ...]:
    return _load(tuple(getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS)))


def channel_named(name: str) -> Channel | None:
    return next((c for c in external_channels() if c.name == name), None)
