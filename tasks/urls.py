from django.urls import path

from tasks.views import assessment, instructions, lists, progress, supervision

app_name = "tasks"
urlpatterns = [
    path("", lists.index, name="index"),
    path("export.xlsx", lists.export, name="export"),
    path("import/", lists.import_upload, name="import"),
    path("import/confirm/", lists.import_confirm, name="import_confirm"),
    path("import/template.xlsx", lists.template_download, name="template"),
    path("import/<int:pk>/", lists.import_job, name="import_job"),
    path("lists/<int:pk>/copy/", lists.list_copy, name="list_copy"),
    path("lists/<int:pk>/new-task/", lists.task_create, name="task_create"),
    path("<int:pk>/", lists.task_detail, name="task"),
    path("<int:pk>/edit/", lists.task_edit, name="task_edit"),
    path("<int:pk>/instruct/", instructions.instruction_create, name="instruct"),
    path("<int:pk>/milestones/", lists.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/done/", lists.milestone_done, name="milestone_done"),
    path("<int:pk>/report/", progress.report_submit, name="report_submit"),
    path("reports/", progress.review_queue, name="reviews"),
    path("reports/<int:pk>/review/", progress.report_review, name="report_review"),
    path("reports/accept/", progress.reports_accept, name="reports_accept"),
    path("evidence/<int:pk>/", lists.evidence_download, name="evidence"),
    path("supervision/", supervision.supervision, name="supervision"),
    path("supervision/visits/new/", supervision.visit_create, name="visit_create"),
    path("supervision/visits/<int:pk>/", supervision.visit_detail, name="visit"),
    path("assessment/", assessment.assessment, name="assessment"),
    path("assessment/score/", assessment.assessment_score, name="assessment_score"),
    path("assessment/confirm/", assessment.assessment_confirm, name="assessment_confirm"),
]
