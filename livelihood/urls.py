from django.urls import path

from livelihood import project_views, supervision_views, views

app_name = "livelihood"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.propose, name="propose"),
    path("pools/", views.pools, name="pools"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path(
        "sessions/<int:pk>/<str:action>/",
        views.session_action,
        name="session_action",
    ),
    path("results/<int:pk>/", views.results, name="results"),
    path("projects/", project_views.projects, name="projects"),
    path("projects/<int:pk>/", project_views.project, name="project"),
    path("projects/<int:pk>/report/", project_views.report, name="project_report"),
    path("projects/<int:pk>/<str:action>/", project_views.project_action, name="project_action"),
    path("milestones/<int:pk>/done/", project_views.milestone_done, name="milestone_done"),
    path("photos/<int:pk>/", project_views.photo, name="photo"),
    path("evaluations/<int:pk>/", supervision_views.evaluate, name="evaluate"),
    path("inspections/<int:pk>/", supervision_views.inspection, name="inspection"),
    path("<int:pk>/inspections/", supervision_views.inspections, name="inspections"),
    path("<int:pk>/", views.proposal, name="proposal"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/screen/", views.screen, name="screen"),
]
