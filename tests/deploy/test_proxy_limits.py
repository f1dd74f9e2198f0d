"""The proxy's per-route body limits (deploy/nginx/portal.conf.template) stay in step with
the app: every view that reads uploaded files is on an upload route, whose limit is the
app's own; the public pages get the app's anonymous limit."""

from __future__ import annotations

import inspect
import re

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.deploy.stack import TEMPLATE

CONF = TEMPLATE.read_text()
UPLOAD = re.compile(r'location ~ "([^"]+)" \{\s*client_max_body_size (\d+)m;')
PUBLIC = re.compile(r"location \^~ /s/ \{\s*client_max_body_size (\d+)k;")
DEFAULT = re.compile(r"\n    client_max_body_size (\d+)m;")
SAMPLE = {"int": "17", "slug": "hmy-01", "str": "token", "path": "a/b"}


def routes(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # the admin is on the upload route as a whole
                yield from routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield (
                "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m[1] or "str"], route),
                (pattern.callback),
            )


def reads_files(view) -> bool:
    return "request.FILES" in inspect.getsource(inspect.unwrap(view))


def test_every_view_that_takes_files_is_on_an_upload_route_and_no_other_is():
    [(regex, _megabytes)] = UPLOAD.findall(CONF)
    upload = re.compile(regex)
    taking_files = {path for path, view in routes(get_resolver()) if reads_files(view)}
    assert len(taking_files) >= 7
    on_upload_route = {path for path, _view in routes(get_resolver()) if upload.match(path)}
    assert taking_files == on_upload_route
    assert upload.match("/admin/deputies/deputy/1/change/")


def test_the_limits_are_the_apps():
    [(_regex, megabytes)] = UPLOAD.findall(CONF)
    assert int(megabytes) * 2**20 == settings.BODY_LIMIT_SIGNED_IN
    [kilobytes] = PUBLIC.findall(CONF)
    assert int(kilobytes) * 1024 == settings.BODY_LIMIT_ANONYMOUS
    [default] = DEFAULT.findall(CONF)
    assert int(default) * 2**20 < settings.BODY_LIMIT_SIGNED_IN
