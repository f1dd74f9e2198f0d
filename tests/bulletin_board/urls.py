"""The portal's URLs and the module's one page: a module's ``urls.py`` is included in
``congress_portal/urls.py``, which the test swaps for this one."""

from django.urls import include, path
from django.views.generic import TemplateView

from congress_portal.urls import urlpatterns as portal_urlpatterns

app_patterns = (
    [path("", TemplateView.as_view(template_name="bulletin_board/panel.html"), name="index")],
    "bulletin_board",
)

urlpatterns = [*portal_urlpatterns, path("bulletins/", include(app_patterns))]
