from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from liaison_stations.models import (
    DutyLog,
    DutyShift,
    Reception,
    StandardCriterion,
    StandardRating,
    Station,
    StationMembership,
)


class StationMembershipInline(admin.TabularInline):
    """The deputies attached to the station; at most one home station per deputy."""

    model = StationMembership
    raw_id_fields = ["deputy"]
    extra = 0


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "region", "rule", "rule_days", "is_active"]
    list_filter = ["kind", "rule", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
    inlines = [StationMembershipInline]


@admin.register(StandardCriterion)
class StandardCriterionAdmin(SimpleHistoryAdmin):
    """The ten criteria of 十有 are kept here: add, reword or retire one."""

    list_display = ["number", "title", "is_active"]
    list_editable = ["title", "is_active"]
    ordering = ["number"]


@admin.register(StandardRating)
class StandardRatingAdmin(SimpleHistoryAdmin):
    list_display = ["station", "criterion", "met", "rated_on"]
    list_filter = ["met", "criterion"]
    raw_id_fields = ["station", "rated_by"]
    list_select_related = ["station", "criterion"]


@admin.register(DutyShift)
class DutyShiftAdmin(SimpleHistoryAdmin):
    list_display = ["station", "date", "is_cancelled"]
    date_hierarchy = "date"
    raw_id_fields = ["station", "deputies"]
    list_select_related = ["station"]


@admin.register(DutyLog)
class DutyLogAdmin(SimpleHistoryAdmin):
    list_display = ["shift", "hours", "recorded_by", "recorded_at"]
    raw_id_fields = ["shift", "attendees", "recorded_by"]
    list_select_related = ["shift__station", "recorded_by"]


@admin.register(Reception)
class ReceptionAdmin(SimpleHistoryAdmin):
    list_display = ["station", "received_at", "channel", "category", "handling", "closed_on"]
    list_filter = ["channel", "category", "handling"]
    date_hierarchy = "received_at"
    raw_id_fields = ["station", "shift", "referred_unit", "recorded_by"]
    list_select_related = ["station"]
    exclude = ["follow_up_type", "follow_up_id"]
