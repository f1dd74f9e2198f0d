from django.urls import path

from handovers import views

app_name = "handovers"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
]
