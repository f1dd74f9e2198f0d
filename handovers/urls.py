from django.urls import path

from handovers import views

app_name = "handovers"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    # One URL per step; those that take files are on nginx's upload route
    # (deploy/nginx/portal.conf.template).
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/opinion/", views.opinion, name="opinion"),
    path("<int:pk>/solved/", views.solved, name="solved"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/close/", views.close, name="close"),
    path("files/<int:pk>/", views.evidence, name="evidence"),
]
