from django.urls import path

from livelihood import views

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
    path("<int:pk>/", views.proposal, name="proposal"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/screen/", views.screen, name="screen"),
]
