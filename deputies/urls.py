from django.urls import path

from deputies import record_views, views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="index"),
    path("me/", views.my_record, name="me"),
    path("me/record/", record_views.my_record, name="my_record"),
    path("rankings/", record_views.rankings, name="rankings"),
    path("voter-reports/", record_views.voter_reports, name="voter_reports"),
    path("voter-reports/<int:pk>/", record_views.voter_report, name="voter_report"),
    path(
        "voter-reports/<int:pk>/remove/",
        record_views.voter_report_remove,
        name="voter_report_remove",
    ),
    path("activities/<int:pk>/evidence/", record_views.activity_evidence, name="evidence"),
    path("activities/<int:pk>/remove/", record_views.activity_remove, name="activity_remove"),
    path("import/", views.deputy_import, name="import"),
    path("import/template.xlsx", views.import_template_download, name="import_template"),
    path("import/<int:pk>/", views.deputy_import_job, name="import_job"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("<int:pk>/", views.deputy_page, name="detail"),
    path("<int:pk>/phone/", views.phone_reveal, name="phone"),
    path("<int:pk>/record/", record_views.record, name="record"),
    path("<int:pk>/record.pdf", record_views.record_pdf, name="record_pdf"),
    path("<int:pk>/activities/new/", record_views.activity_new, name="activity_new"),
    path("<int:pk>/edit/", views.deputy_edit, name="edit"),
    path("<int:pk>/mandates/", views.mandate_create, name="mandate_add"),
    path("<int:pk>/mandates/<int:mandate_pk>/end/", views.mandate_finish, name="mandate_end"),
    path("<int:pk>/mandates/<int:mandate_pk>/remove/", views.mandate_delete, name="mandate_remove"),
]
