from django.urls import path

from tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.template_download, name="template"),
    path("lists/<int:pk>/copy/", views.list_copy, name="list_copy"),
    path("lists/<int:pk>/new-task/", views.task_create, name="task_create"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/report/", views.report_submit, name="report_submit"),
    path("reports/", views.review_queue, name="reviews"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/visits/new/", views.visit_create, name="visit_create"),
    path("supervision/visits/<int:pk>/", views.visit_detail, name="visit"),
    path("supervision/items/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/<int:pk>/score/", views.assessment_score, name="assessment_score"),
    path("assessment/confirm/", views.assessment_confirm, name="assessment_confirm"),
]
