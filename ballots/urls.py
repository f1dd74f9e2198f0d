from django.urls import path

from ballots import views

# Who runs a session (/ballots/): sessions, check-in, votes, slips, tallies.
app_name = "ballots"
urlpatterns = [
    path("", views.index, name="index"),
    path("absences/", views.absences_page, name="absences"),
    path("<int:pk>/", views.session, name="session"),
    path("<int:pk>/open/", views.session_open_view, name="session_open"),
    path("<int:pk>/close/", views.session_close_view, name="session_close"),
    path("<int:pk>/check-in/", views.check_in_page, name="check_in"),
    path("<int:pk>/check-in/set/", views.check_in_set, name="check_in_set"),
    path("votes/<int:pk>/", views.poll, name="poll"),
    path("votes/<int:pk>/open/", views.poll_open_view, name="poll_open"),
    path("votes/<int:pk>/slips.pdf", views.slips, name="slips"),
    path("votes/<int:pk>/close/", views.poll_close_view, name="poll_close"),
    path("votes/<int:pk>/tally/", views.tally, name="tally"),
    path("tallies/<int:pk>/confirm/", views.tally_confirm, name="tally_confirm"),
    path("votes/<int:pk>/publish/", views.poll_publish_view, name="publish"),
    path("votes/<int:pk>/runoff/", views.runoff, name="runoff"),
]
