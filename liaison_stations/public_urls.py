from django.urls import path

from liaison_stations import public_views

# The public station pages (/s/<code>/): no login.
app_name = "public_stations"
urlpatterns = [
    path("photos/deputy/<int:pk>/", public_views.deputy_photo, name="deputy_photo"),
    path("<slug:code>/", public_views.station_page, name="station"),
    path("<slug:code>/thanks/", public_views.thanks, name="thanks"),
    path("<slug:code>/qr.svg", public_views.qr_svg, name="qr"),
    path("<slug:code>/poster.pdf", public_views.poster_pdf, name="poster"),
]
