from django.urls import path

from ballots import public_views

# The public voting pages (/vote/): no login, the code the only credential.
app_name = "vote"
urlpatterns = [
    path("", public_views.vote, name="index"),
    path("receipts/", public_views.receipt_polls, name="receipts"),
    path("receipts/<int:pk>/", public_views.receipt_list, name="receipt_list"),
]
