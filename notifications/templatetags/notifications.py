from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """The header badge's count: one indexed COUNT on every page."""
    return unread_count(user)
