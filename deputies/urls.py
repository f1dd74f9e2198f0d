from django.urls import path

from deputies import views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="index"),
    path("me/", views.my_record, name="me"),
    path("import/", views.deputy_import, name="import"),
    path("import/template.xlsx", views.import_template_download, name="import_template"),
    path("import/<int:pk>/", views.deputy_import_job, name="import_job"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("<int:pk>/", views.deputy_page, name="detail"),
    path("<int:pk>/phone/", views.phone_reveal, name="phone"),
    path("<int:pk>/edit/", views.deputy_edit, name="edit"),
    path("<int:pk>/mandates/", views.mandate_create, name="mandate_add"),
    path("<int:pk>/mandates/<int:mandate_pk>/end/", views.mandate_finish, name="mandate_end"),
    path("<int:pk>/mandates/<int:mandate_pk>/remove/", views.mandate_delete, name="mandate_remove"),
]
