from django.urls import path

from oversight import hearing_views as views

# A case's inquiry, interpellation and satisfaction vote, and the yearly rankings (added to
# oversight/urls.py; their first segment is never a number, so the case's own
# "<pk>/<action>/" never takes them).
urlpatterns = [
    path("inquiry/<int:pk>/", views.inquiry, name="inquiry"),
    path("interpellation/<int:pk>/", views.interpellation, name="interpellation"),
    path("satisfaction/<int:pk>/", views.satisfaction, name="satisfaction"),
    path("satisfaction/rankings/", views.rankings, name="rankings"),
]
