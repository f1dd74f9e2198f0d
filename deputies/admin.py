from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deputies.models import (
    Activity,
    CommitteeMembership,
    Deputy,
    Mandate,
    PointRule,
    ProfessionalGroup,
    VoterReport,
)
from deputies.services import point_rule_delete, point_rule_save


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    raw_id_fields = ["region"]


@admin.register(Deputy)
class DeputyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gender", "region", "is_active"]
    list_filter = ["gender", "is_active", "mandates__level"]
    search_fields = ["name", "work_unit"]
    list_select_related = ["region"]
    raw_id_fields = ["region", "user"]
    filter_horizontal = ["groups"]
    inlines = [MandateInline]


@admin.register(ProfessionalGroup)
class ProfessionalGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["deputy", "kind", "date", "title", "hours", "points"]
    list_filter = ["kind"]
    search_fields = ["deputy__name", "title"]
    raw_id_fields = ["deputy", "recorded_by"]
    readonly_fields = ["points"]
    date_hierarchy = "date"


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["deputy", "region", "level", "position", "term", "started_on", "ended_on"]
    list_filter = ["level", "position"]
    search_fields = ["deputy__name", "term"]
    list_select_related = ["deputy", "region"]
    raw_id_fields = ["deputy", "region"]


@admin.register(PointRule)
class PointRuleAdmin(SimpleHistoryAdmin):
    """The points table 积分: saving a line re-prices the entries of its kind (each entry
    reads the rule valid on its own date, so a rule from next year leaves this year)."""

    list_display = ["kind", "points", "valid_from", "valid_to", "yearly_cap"]
    list_filter = ["kind"]

    def save_model(self, request, obj, form, change):
        point_rule_save(rule=obj, by=request.user)

    def delete_model(self, request, obj):
        point_rule_delete(rule=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            point_rule_delete(rule=rule, by=request.user)


@admin.register(VoterReport)
class VoterReportAdmin(SimpleHistoryAdmin):
    list_display = ["deputy", "level", "region", "year", "status", "held_on"]
    list_filter = ["status", "level", "year"]
    search_fields = ["deputy__name", "meeting"]
    raw_id_fields = ["deputy", "region"]
