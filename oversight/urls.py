from django.urls import path

from oversight import hearing_urls, views

app_name = "oversight"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.case_new, name="case_new"),
    path("plan/", views.plan, name="plan"),
    path("members/", views.members, name="members"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/stages/", views.stage_add, name="stage_add"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/problems/", views.problem_new, name="problem_new"),
    path("<int:pk>/visit/", views.visit, name="visit"),
    path("<int:pk>/review/", views.second_review, name="second_review"),
    path("<int:pk>/opinions/", views.opinion_new, name="opinion_new"),
    path("<int:pk>/<str:action>/", views.case_action, name="case_action"),
    path("stages/<int:pk>/done/", views.stage_done, name="stage_done"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("problems/<int:pk>/", views.problem, name="problem"),
    path("opinions/<int:pk>/", views.opinion, name="opinion"),
]
urlpatterns += hearing_urls.urlpatterns  # inquiries, interpellations, satisfaction votes
