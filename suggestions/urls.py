from django.urls import path

from suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.submit, name="submit"),
    path("draft/", views.draft, name="draft"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/intake/", views.intake, name="intake"),
    path("<int:pk>/hand-over/", views.hand_over, name="hand_over"),
]
