from django.contrib import admin

from reports.models import GeneratedReport


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["month", "kind", "status", "trigger", "size", "pages", "finished_at"]
    list_filter = ["kind", "status", "trigger"]
    readonly_fields = ["sha256", "size", "pages", "render_ms", "file"]
