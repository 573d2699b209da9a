"""CSRF is enforced on every state change: a POST without the token is refused (403) and changes
nothing, the same POST with the token passes the check, and POST-only views refuse GET."""

import inspect

import pytest
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from loancenter.models import AuditEvent
from tests.security.test_hostile_forms import (
    ENDPOINTS,
    _first_user_who_reaches_the_view,
    _user,
    post_url_names,
    url_for,
    walk,
    write_count,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_contract_pdfs")]
MARKER = "X-Refused-By"


def refused_by_csrf(request, reason=""):
    """Stands in for Django's CSRF failure view, so the test can tell a CSRF refusal from a
    role refusal (both are 403)."""
    response = HttpResponseForbidden(reason)
    response[MARKER] = "csrf"
    return response


@pytest.fixture
def demo(settings, origination):
    from loancenter.demo import seed_all

    seed_all()
    settings.CSRF_FAILURE_VIEW = "tests.security.test_csrf.refused_by_csrf"


def _token(client):
    """A valid token, set as the browser would hold it (cookie) for the form to echo."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return token


def test_every_post_endpoint_refuses_a_request_without_the_csrf_token(demo):
    guarded = Client(enforce_csrf_checks=True)
    checked = 0
    for endpoint in ENDPOINTS:
        url, _kwargs = url_for(endpoint)
        username = _first_user_who_reaches_the_view(Client(), endpoint, url)
        guarded.logout()
        if username:
            guarded.force_login(_user(username))
        audit_rows = AuditEvent.objects.count()
        response = guarded.post(url, {"reason": "csrf probe"})
        assert AuditEvent.objects.count() == audit_rows, endpoint.name
        assert response.status_code == 403, (endpoint.name, response.status_code)
        assert response.get(MARKER) == "csrf", endpoint.name
        checked += 1
        with_token = guarded.post(url, {"csrfmiddlewaretoken": _token(guarded)})
        assert with_token.get(MARKER) is None, endpoint.name
    print(f"\ncsrf_post_endpoints_checked {checked}")
    write_count("csrf_post_endpoints_checked", checked)


def _sample_kwargs(pattern):
    values = {"app_label": "loans", "step": "judgment", "fmt": "pdf", "url": "x"}
    return {name: values.get(name, "1") for name in pattern.pattern.regex.groupindex}


def _every_pattern(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _every_pattern(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name])), pattern


def test_no_url_in_the_urlconf_accepts_a_post_without_the_token(demo, superuser):
    """The whole URLconf, admin included, as a superuser: no view is csrf_exempt."""
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(superuser)
    checked = 0
    for name, pattern in _every_pattern():
        assert not getattr(pattern.callback, "csrf_exempt", False), name
        try:
            url = reverse(name, kwargs=_sample_kwargs(pattern))
        except NoReverseMatch:
            continue
        response = guarded.post(url, {"delete": "yes", "post": "yes"})
        assert response.status_code == 403 and response.get(MARKER) == "csrf", name
        checked += 1
    print(f"\ncsrf_urlconf_urls_checked {checked}")
    write_count("csrf_urlconf_urls_checked", checked)
    assert checked > 150


def _decorated_require_post(callback):
    closure = inspect.getclosurevars(callback).nonlocals if callback.__closure__ else {}
    return closure.get("request_method_list") == ["POST"]


def test_post_only_views_refuse_get_so_no_link_or_image_can_change_state(demo, superuser):
    client = Client()
    client.force_login(superuser)
    names = {e.name: e for e in ENDPOINTS}
    checked = 0
    for _route, name, callback in walk():
        if name in post_url_names() and _decorated_require_post(callback):
            url, _kwargs = url_for(names[name])
            assert client.get(url).status_code == 405, name
            checked += 1
    print(f"\npost_only_views_refusing_get {checked}")
    write_count("post_only_views_refusing_get", checked)
    assert checked >= 35
