from django.urls import path  # noqa: F401

# The public station pages (/s/<code>/): no login.
app_name = "public_stations"
urlpatterns: list = []
