from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
]
