"""Script payloads in every free-text field are shown escaped: the demo data gets a payload in every
free-text column, then every page reachable by following links is read as several roles and no
payload may appear raw."""

import re
from collections import Counter
from html import escape
from urllib.parse import urldefrag, urlparse

import pytest
from django.apps import apps
from django.db import DatabaseError, models, transaction
from django.test import Client

from tests.security.test_hostile_forms import write_count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_contract_pdfs")]

SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE = "\"'><img src=x onerror=window.__xss=1>"
PAYLOAD = f"X{SCRIPT}{ATTRIBUTE}"
APPS = ("applications", "collateral", "review", "loans", "collection", "archive", "reports")
# Columns that other code parses (identity numbers, accounts, numbers shown in URLs …): a payload
# there tests the parser, not the escaping.
SKIP = re.compile(
    r"id_number|phone|mobile|account|number|code|email|file|path|url|sha|hash|"
    r"content_type|key|token|ip|language|currency|^ref|reference|kind|fmt|format"
)
ROLES = ("director", "loan_officer", "collections_officer", "archivist", "auditor")
PAGES_PER_ROLE = 90
PAGES_PER_ROUTE = 2


def free_text_fields(model):
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField) or f.choices or f.unique:
            continue
        if SKIP.search(f.name) or (f.max_length or 10_000) < len(PAYLOAD):
            continue
        yield f.name


def plant_payloads() -> int:
    """The payload into every free-text column of every row; returns the number of columns."""
    columns = 0
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            names = list(free_text_fields(model))
            if names and model.objects.exists():
                try:
                    with transaction.atomic():
                        model.objects.update(**dict.fromkeys(names, PAYLOAD))
                except DatabaseError:  # an append-only table (a PostgreSQL trigger refuses)
                    continue
                columns += len(names)
    return columns


@pytest.fixture
def planted(origination):
    from loancenter.demo import seed_all

    seed_all()
    return plant_payloads()


def _route_of(path):
    return re.sub(r"\d+", "N", path)


def crawl(client, limit):
    """(url, response) for the HTML pages reachable from home by GET links, a few per route."""
    queue, seen, per_route = ["/"], set(), Counter()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or per_route[_route_of(urlparse(url).path)] >= PAGES_PER_ROUTE:
            continue
        seen.add(url)
        per_route[_route_of(urlparse(url).path)] += 1
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        yield url, response
        for href in re.findall(r'href="(/[^"]*)"', response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if not href.startswith(("/static/", "/admin/", "/accounts/logout", "/i18n/")):
                queue.append(href)


def test_script_payloads_are_shown_escaped_on_every_page(planted, client):
    from django.contrib.auth import get_user_model

    pages, shown = 0, 0
    for username in ROLES:
        client.force_login(get_user_model().objects.get(username=username))
        for url, response in crawl(client, PAGES_PER_ROLE):
            assert response.status_code < 500, url
            body = response.content.decode()
            assert SCRIPT not in body, url
            assert "<img src=x" not in body, url
            pages += 1
            shown += escape(SCRIPT, quote=False) in body or escape(SCRIPT) in body
    print(f"\nxss_columns_planted {planted}; pages_checked {pages}; pages_showing_payload {shown}")
    write_count("xss_free_text_columns", planted)
    write_count("xss_pages_checked", pages)
    write_count("xss_pages_showing_escaped_payload", shown)
    assert shown > 20  # the payloads were on the pages, escaped


def test_the_admin_shows_payloads_escaped(planted, superuser):
    client = Client()
    client.force_login(superuser)
    checked = 0
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            row = model.objects.first()
            if row is None or not list(free_text_fields(model)):
                continue
            opts = model._meta
            for url in (
                f"/admin/{opts.app_label}/{opts.model_name}/",
                f"/admin/{opts.app_label}/{opts.model_name}/{row.pk}/change/",
            ):
                response = Client.get(client, url)
                if response.status_code == 404:
                    continue
                assert response.status_code < 500, url
                assert SCRIPT not in response.content.decode(), url
                checked += 1
    print(f"\nxss_admin_pages_checked {checked}")
    write_count("xss_admin_pages_checked", checked)
