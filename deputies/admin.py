from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deputies.models import Activity, CommitteeMembership, Deputy, Mandate, ProfessionalGroup


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
    list_display = ["deputy", "kind", "date", "title", "hours"]
    list_filter = ["kind"]
    search_fields = ["deputy__name", "title"]
    raw_id_fields = ["deputy"]
    date_hierarchy = "date"


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["deputy", "region", "level", "position", "term", "started_on", "ended_on"]
    list_filter = ["level", "position"]
    search_fields = ["deputy__name", "term"]
    list_select_related = ["deputy", "region"]
    raw_id_fields = ["deputy", "region"]
