from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("read/", views.mark_read, name="mark_read"),
    path("badge/", views.badge, name="badge"),
    path("channels/", views.channels, name="channels"),
]
