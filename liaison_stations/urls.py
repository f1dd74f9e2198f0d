from django.urls import path

from liaison_stations import views

app_name = "liaison_stations"
urlpatterns = [
    path("", views.station_list, name="index"),
    path("today/", views.today, name="today"),
    path("standard/", views.standard_overview, name="standard"),
    path("statistics/", views.statistics, name="statistics"),
    path("attendance/", views.attendance, name="attendance"),
    path("receptions/", views.reception_list, name="receptions"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception"),
    path("inbox/", views.inbox, name="inbox"),
    path("referrals/", views.referrals, name="referrals"),
    path("photos/duty/<int:pk>/", views.duty_photo, name="duty_photo"),
    path("photos/evidence/<int:pk>/", views.rating_evidence, name="evidence"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/log/", views.duty_log, name="duty_log"),
    path("<slug:code>/", views.station_detail, name="station"),
    path("<slug:code>/edit/", views.station_edit, name="station_edit"),
    path("<slug:code>/rota/", views.rota, name="rota"),
    path("<slug:code>/rota/swap/", views.shift_swap, name="swap"),
    path("<slug:code>/standard/<int:number>/", views.rating_set, name="rate"),
]
