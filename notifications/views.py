from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error
from notifications.forms import ChannelsForm, ListFilterForm, MarkReadForm
from notifications.selectors import channel_choices_of, notifications_for, unread_count
from notifications.services import (
    NotificationError,
    channel_choices_set,
    notification_mark_read,
    notifications_mark_all_read,
)

PAGE_SIZE = 30


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Invalid filter."))
    unread_only = form.cleaned_data["show"] == "unread"
    page = Paginator(notifications_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        form.cleaned_data["page"] or 1
    )
    context = {"form": form, "page": page, "unread_only": unread_only}
    if request.htmx:
        return render(request, "notifications/index.html#notification-list", context)
    return render(request, "notifications/index.html", context)


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose what to mark as read."))
    if form.cleaned_data["all"]:
        notifications_mark_all_read(user=request.user)
    else:
        # Scoped to the user inside the service: another person's id changes nothing.
        notification_mark_read(user=request.user, notification_id=form.cleaned_data["notification"])
    if request.htmx:
        page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(1)
        response = render(request, "notifications/index.html#notification-list", {"page": page})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:index")


@require_GET
@login_required
def badge(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/_badge.html", {"badge_count": unread_count(request.user)})


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    current = channel_choices_of(request.user)
    # An empty POST (every box unticked) is still a submission.
    data = request.POST if request.method == "POST" else None
    form = ChannelsForm(data, initial_choices=current)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            channel_choices_set(user=request.user, choices=form.cleaned_data)
        except NotificationError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("Your channels were saved."))
            return redirect("notifications:channels")
    return render(request, "notifications/channels.html", {"form": form}, status=status)
