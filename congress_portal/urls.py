from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Anyone, signed in or not, may choose the interface language.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("organisation/", include("organisation.urls")),
    path("inbox/", include("handovers.urls")),
    path("tasks/", include("tasks.urls")),
    path("deputies/", include("deputies.urls")),
    path("stations/", include("liaison_stations.urls")),
    path("s/", include("liaison_stations.public_urls")),
    path("suggestions/", include("suggestions.urls")),
    path("livelihood/", include("livelihood.urls")),
    path("oversight/", include("oversight.urls")),
    path("ballots/", include("ballots.urls")),
    path("vote/", include("ballots.public_urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "人大履职与监督工作平台"
admin.site.site_title = "人大工作平台"
