"""Shared by the bad-input tests: every POST endpoint, the object its URL needs, who may use it,
and the fields it expects (derived from the Django form classes its view uses)."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

from django import forms
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

OFFICER, INVESTIGATOR, REVIEWER, APPROVER = "loan_officer", "investigator", "reviewer", "approver"
DIRECTOR, HEAD_OFFICE, REGISTRAR = "director", "head_office", "mortgage_registrar"
SUPERVISOR, ARCHIVIST, COLLECTOR = "disbursement_supervisor", "archivist", "collections_officer"
ANY_STAFF = (OFFICER, REVIEWER, DIRECTOR, ARCHIVIST, COLLECTOR)


@dataclass(frozen=True)
class Endpoint:
    """A URL that changes state. ``objects``: URL kwarg → model label (the newest row is used)
    or a literal; ``users``: demo usernames to try, first one that reaches the view wins."""

    name: str
    objects: dict = field(default_factory=dict)
    users: tuple = ANY_STAFF
    prefix: str | None = None  # a form prefix computed from the kwargs: "outcome-{claim_pk}"
    query: dict = field(default_factory=dict)  # ?customer=… for pages that take one


def parent(label, attribute=None):
    """The pk of the object that owns the row already chosen for the URL (a claim's case)."""

    def pick(chosen):
        from django.apps import apps

        model = apps.get_model(label)
        key = next(k for k, v in chosen.items() if v[0] == label)
        row = model.objects.filter(pk=chosen[key][1]).first()
        if row is None:
            return 999_999
        name = attribute or next(
            f.name for f in model._meta.concrete_fields if f.is_relation and f.name in PARENTS
        )
        return getattr(row, f"{name}_id")

    return pick


PARENTS = ("application", "case")


APP = "applications.LoanApplication"
ACC = "loans.LoanAccount"
CASE = "collection.CollectionCase"
REG = "collateral.MortgageRegistration"
ITEM = "archive.ArchiveItem"
BORROW = "archive.BorrowRequest"
BATCH = "archive.DestructionBatch"
CUSTOMER = ("applications.Customer", {"officer__username": "loan_officer"})
DRAFT = (APP, {"status": "draft"})
REGISTERING = (APP, {"status": "registering"})

ENDPOINTS = [
    Endpoint("applications:create", users=(OFFICER,), query={"customer": CUSTOMER}),
    Endpoint("applications:edit", {"pk": DRAFT}, (OFFICER,)),
    Endpoint("applications:submit", {"pk": DRAFT}, (OFFICER,)),
    Endpoint("applications:withdraw", {"pk": (APP, {"status": "submitted"})}, (OFFICER,)),
    Endpoint("applications:guarantor_add", {"pk": DRAFT}, (OFFICER,)),
    Endpoint(
        "applications:guarantor_remove",
        {"guarantor_pk": "applications.Guarantor", "pk": parent("applications.Guarantor")},
        (OFFICER,),
    ),
    Endpoint("applications:document_upload", {"pk": DRAFT}, (OFFICER,)),
    Endpoint("applications:survey_claim", {"pk": (APP, {"status": "submitted"})}, (INVESTIGATOR,)),
    Endpoint(
        "applications:survey_confirm",
        {"pk": (APP, {"status": "surveying"})},
        (OFFICER, INVESTIGATOR),
    ),
    Endpoint("applications:customer_create", users=(OFFICER,)),
    Endpoint("applications:customer_edit", {"pk": "applications.Customer"}, (OFFICER,)),
    Endpoint("review:review", {"pk": (APP, {"status": "reviewing"})}, (REVIEWER,)),
    Endpoint(
        "review:decide",
        {"pk": (APP, {"status__in": ["approving", "escalated"]})},
        (APPROVER, DIRECTOR, HEAD_OFFICE),
    ),
    Endpoint("collateral:add", {"pk": DRAFT}, (OFFICER,)),
    Endpoint(
        "collateral:remove",
        {
            "collateral_pk": ("collateral.Collateral", {"application__status": "draft"}),
            "pk": parent("collateral.Collateral"),
        },
        (OFFICER,),
    ),
    Endpoint("collateral:policy_add", {"pk": REGISTERING}, (OFFICER, REGISTRAR)),
    Endpoint("collateral:notarisation_add", {"pk": REGISTERING}, (OFFICER, REGISTRAR)),
    Endpoint("collateral:registration_submit", {"registration_pk": REG}, (REGISTRAR,)),
    Endpoint("collateral:registration_complete", {"registration_pk": REG}, (REGISTRAR,)),
    Endpoint("collateral:registration_hand_over", {"registration_pk": REG}, (REGISTRAR,)),
    Endpoint("collateral:registration_receive", {"registration_pk": REG}, (SUPERVISOR,)),
    Endpoint("loans:contracts_generate", {"pk": (APP, {"status": "approved"})}, (OFFICER,)),
    Endpoint(
        "loans:contracts_sign",
        {"pk": (APP, {"status__in": ["approved", "contracted"]})},
        (OFFICER,),
    ),
    Endpoint("loans:disburse", {"pk": (APP, {"status": "ready"})}, (SUPERVISOR,)),
    Endpoint("loans:repayment_post", {"pk": ACC}, (OFFICER, COLLECTOR)),
    Endpoint("loans:change_request", {"pk": ACC}, (OFFICER, REVIEWER)),
    Endpoint("loans:change_decide", {"change_pk": "loans.ChangeRequest"}, (REVIEWER, DIRECTOR)),
    Endpoint("loans:account_classification", {"pk": ACC}, (REVIEWER, OFFICER, DIRECTOR)),
    Endpoint("loans:clear_review_flag", {"pk": ACC}, (REVIEWER, DIRECTOR, OFFICER)),
    Endpoint(
        "loans:classification_decide", {"change_pk": "loans.ClassificationChange"}, (DIRECTOR,)
    ),
    Endpoint("loans:sweep_run_now", users=(DIRECTOR, "admin")),
    Endpoint("collection:action_record", {"pk": CASE}, (COLLECTOR, OFFICER)),
    Endpoint("collection:promise_record", {"pk": CASE}, (COLLECTOR, OFFICER)),
    Endpoint("collection:demand_letter", {"pk": CASE}, (COLLECTOR, OFFICER)),
    Endpoint("collection:recovery_record", {"pk": CASE}, (COLLECTOR, OFFICER)),
    Endpoint("collection:claim_file", {"pk": CASE}, (COLLECTOR, OFFICER)),
    Endpoint(
        "collection:claim_outcome",
        {"claim_pk": "collection.InsuranceClaim", "pk": parent("collection.InsuranceClaim")},
        (COLLECTOR, OFFICER),
        prefix="outcome-{claim_pk}",
    ),
    Endpoint("collection:lawsuit_file", {"pk": CASE}, (COLLECTOR, OFFICER)),
    *(
        Endpoint(
            "collection:lawsuit_step",
            {
                "lawsuit_pk": "collection.LegalAction",
                "pk": parent("collection.LegalAction"),
                "step": step,
            },
            (COLLECTOR,),
            prefix=step + "-{lawsuit_pk}",
        )
        for step in ("judgment", "enforcement", "proceeds")
    ),
    Endpoint("collection:writeoff_request", {"pk": CASE}, (COLLECTOR,)),
    Endpoint("collection:writeoff_detail", {"pk": "collection.WriteOffRequest"}, (DIRECTOR,)),
    Endpoint("collection:check_detail", {"pk": "collection.PostLoanCheck"}, (OFFICER,)),
    Endpoint("archive:item_register", {"pk": "archive.Dossier"}, (ARCHIVIST, OFFICER)),
    Endpoint("archive:item_receive", {"pk": ITEM}, (ARCHIVIST,)),
    Endpoint("archive:item_move", {"pk": ITEM}, (ARCHIVIST,)),
    Endpoint("archive:movement_confirm", {"pk": "archive.VaultMovement"}, ("archivist2",)),
    Endpoint("archive:movement_cancel", {"pk": "archive.VaultMovement"}, (ARCHIVIST,)),
    Endpoint("archive:item_deposit", {"pk": ITEM}, (ARCHIVIST,)),
    Endpoint("archive:item_release", {"pk": ITEM}, (ARCHIVIST,)),
    Endpoint("archive:borrow_request", {"pk": ITEM}, (OFFICER, REVIEWER)),
    Endpoint("archive:borrow_decide", {"pk": BORROW}, (DIRECTOR, ARCHIVIST)),
    Endpoint("archive:borrow_check_out", {"pk": BORROW}, (ARCHIVIST,)),
    Endpoint("archive:borrow_return", {"pk": BORROW}, (ARCHIVIST,)),
    Endpoint("archive:handover_new", users=(ARCHIVIST,)),
    Endpoint("archive:handover_confirm", {"pk": "archive.Handover"}, ("archivist2", ARCHIVIST)),
    Endpoint("archive:handover_cancel", {"pk": "archive.Handover"}, (ARCHIVIST,)),
    Endpoint("archive:inspection_new", users=(ARCHIVIST, DIRECTOR)),
    Endpoint("archive:destruction_prepare", users=(ARCHIVIST,)),
    Endpoint("archive:destruction_submit", {"pk": BATCH}, (ARCHIVIST,)),
    Endpoint("archive:destruction_decide", {"pk": BATCH}, (DIRECTOR,)),
    Endpoint(
        "archive:destruction_check_line",
        {"line_pk": "archive.DestructionLine"},
        (ARCHIVIST, "archivist2"),
    ),
    Endpoint("archive:destruction_complete", {"pk": BATCH}, (ARCHIVIST,)),
    Endpoint("reports:rating_decide", {"pk": "reports.CreditRating"}, (DIRECTOR, REVIEWER)),
    Endpoint("reports:report_runs", users=(DIRECTOR,)),
    Endpoint("password_change", users=(OFFICER,)),
    Endpoint("set_language", users=(OFFICER,)),
    Endpoint("login", users=()),
    Endpoint("logout", users=(OFFICER,)),
]


def walk(patterns=None, prefix="", namespace=None):
    """(route, url name, view callback) for every URL pattern outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name]))
            yield prefix + str(pattern.pattern), name, pattern.callback


def view_source(callback) -> str:
    function = inspect.unwrap(callback)
    if hasattr(callback, "view_class"):
        return inspect.getsource(callback.view_class)
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def accepts_post(callback) -> bool:
    """A view that changes state: it reads request.POST, is decorated with require_POST, or is
    a class-based form/logout view."""
    if hasattr(callback, "view_class"):
        return any(hasattr(callback.view_class, m) for m in ("post", "form_valid"))
    if "POST" in view_source(callback):
        return True
    closure = inspect.getclosurevars(callback).nonlocals if callback.__closure__ else {}
    return "POST" in (closure.get("request_method_list") or ())


def post_url_names() -> set[str]:
    return {name for _route, name, callback in walk() if accepts_post(callback)}


def form_classes(callback) -> list[type[forms.BaseForm]]:
    """The Django form classes a view's source names (ActionForm, forms.RepaymentForm …)."""
    if hasattr(callback, "view_class"):
        return (
            [callback.view_class.form_class]
            if getattr(callback.view_class, "form_class", None)
            else []
        )
    function = inspect.unwrap(callback)
    module = inspect.getmodule(function)
    namespaces = [vars(module)] + [
        vars(value) for value in vars(module).values() if inspect.ismodule(value)
    ]
    found = []
    for name in sorted(set(re.findall(r"\b(\w+Form)\b", view_source(callback)))):
        for namespace in namespaces:
            candidate = namespace.get(name)
            if inspect.isclass(candidate) and issubclass(candidate, forms.BaseForm):
                found.append(candidate)
                break
    return found


def static_prefix(callback) -> str | None:
    match = re.search(r"prefix=\"(\w+)\"", view_source(callback))
    return match.group(1) if match else None


def newest_pk(label: str, filters=None):
    model = apps.get_model(label)
    for rows in (model.objects.filter(**(filters or {})), model.objects.all()):
        pk = rows.order_by("-pk").values_list("pk", flat=True).first()
        if pk:
            return pk
    return 999_999  # no such row: the endpoint answers 404, which is still not a 500


def resolve(value, chosen):
    """A URL value: a model label or (label, filters) → the newest matching pk."""
    if callable(value):
        return value(chosen)
    if isinstance(value, tuple):
        return newest_pk(*value)
    return newest_pk(value) if "." in str(value) else value


def url_for(endpoint: Endpoint) -> tuple[str, dict]:
    kwargs, chosen = {}, {}
    for key, value in endpoint.objects.items():
        kwargs[key] = resolve(value, chosen)
        label = value[0] if isinstance(value, tuple) else value
        chosen[key] = (label, kwargs[key])
    url = reverse(endpoint.name, kwargs=kwargs)
    if endpoint.query:
        query = "&".join(f"{k}={resolve(v, chosen)}" for k, v in endpoint.query.items())
        url = f"{url}?{query}"
    return url, kwargs


def callback_for(name: str):
    for _route, url_name, callback in walk():
        if url_name == name:
            return callback
    raise LookupError(name)


def fields_for(endpoint: Endpoint, kwargs: dict) -> dict[str, forms.Field]:
    """name as posted → form field, for every form class the endpoint's view uses."""
    callback = callback_for(endpoint.name)
    prefix = endpoint.prefix.format(**kwargs) if endpoint.prefix else static_prefix(callback)
    fields = {}
    for form_class in form_classes(callback):
        try:  # fields added in __init__ (write-off evidence per kind) need an instance
            declared = form_class().fields
        except TypeError:
            declared = form_class.base_fields
        for name, form_field in declared.items():
            fields[f"{prefix}-{name}" if prefix else name] = form_field
    return fields


# --- hostile values ----------------------------------------------------------------------------

TEXT = [
    "A" * 20_000,
    "nul\x00byte",
    "\x00",
    "ctl\x01\x07\x1b[31m\x7f",
    "rtl\u202egnp.exe\u200b\ufeff",
    "\ud7ff\U0010ffff\U0001f4a9",
    "' OR 1=1 --",
    "'; DROP TABLE loans_loanaccount; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "%s%n%x",
    "../../../../etc/passwd",
    "   ",
    "",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1e400",
    "-1e400",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "9" * 40,
    "0.0000000000001",
    "1,000",
    "１２３",
    "0x10",
    "1_000",
    "12.345.67",
    "9223372036854775808",
]
DATES = [
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "2026-13-01",
    "31/12/2026",
    "2026-01-01T25:61",
    "today",
    "1" * 50,
]
CHOICES = ["999999999999", "-1", "0", "1e3", "__all__", "' OR 1=1 --", "<b>x</b>"]
BOOLEANS = ["maybe", "2", "-1", "on", "false"]
EXTRA_FIELDS = ["status", "id", "pk", "officer", "created_by", "approved", "is_superuser", "amount"]


def file_strategy():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from hypothesis import strategies as st

    contents = st.sampled_from(
        [
            b"",
            b"<html><script>alert(1)</script></html>",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            b"\x89PNG\r\n\x1a\n<script>alert(1)</script>",
            b"%PDF-",
            b"\x00" * 64,
        ]
    )
    names = st.sampled_from(
        ["a.png", "../../etc/passwd", "x" * 300 + ".pdf", "evil.svg", "a.pdf.html", "空.jpg"]
    )
    return st.builds(
        lambda content, name: SimpleUploadedFile(name, content, content_type="image/png"),
        contents,
        names,
    )


def value_strategy(form_field: forms.Field):
    from hypothesis import strategies as st

    if isinstance(form_field, forms.FileField):
        return file_strategy()
    if isinstance(form_field, (forms.DecimalField, forms.IntegerField, forms.FloatField)):
        pool = NUMBERS
    elif isinstance(form_field, (forms.DateField, forms.DateTimeField, forms.TimeField)):
        pool = DATES
    elif isinstance(form_field, forms.BooleanField):
        pool = BOOLEANS
    elif isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        pool = CHOICES
    else:
        pool = TEXT
    hostile = st.sampled_from(pool)
    return st.one_of(
        hostile,
        hostile,  # weighted towards the curated values
        st.text(max_size=40),
        st.lists(hostile, min_size=2, max_size=3),  # a list where one value was expected
    )


def payload_strategy(fields: dict):
    """Every expected field either missing or hostile, plus a few fields nobody expects."""
    from hypothesis import strategies as st

    optional = {name: value_strategy(f) for name, f in fields.items()}
    extras = st.dictionaries(st.sampled_from(EXTRA_FIELDS), st.sampled_from(TEXT + NUMBERS))
    return st.tuples(st.fixed_dictionaries({}, optional=optional), extras).map(
        lambda pair: {**pair[1], **pair[0]}
    )


# --- the test ----------------------------------------------------------------------------------

import pytest  # noqa: E402

from tests.collection.builders import people_fixture  # noqa: E402, F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_contract_pdfs")]
EXAMPLES_PER_ENDPOINT = 4


@pytest.fixture
def demo(settings, origination):
    from loancenter.demo import seed_all

    settings.DEBUG = False
    seed_all()


def test_every_state_changing_url_has_a_row_in_the_endpoint_table():
    listed = {endpoint.name for endpoint in ENDPOINTS}
    assert post_url_names() - listed == set(), "add the new POST URL to ENDPOINTS"


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _first_user_who_reaches_the_view(client, endpoint, url):
    """The first candidate the endpoint does not answer 403/404 to (an empty POST)."""
    for username in endpoint.users:
        client.force_login(_user(username))
        if client.post(url, {}).status_code not in (403, 404):
            return username
    return None


def _post_hostile_values(client, endpoint, url, username, fields) -> list[int]:
    """Hypothesis posts EXAMPLES_PER_ENDPOINT hostile payloads; the statuses it got."""
    from hypothesis import HealthCheck, given, settings

    statuses = []

    @settings(
        max_examples=EXAMPLES_PER_ENDPOINT,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(payload=payload_strategy(fields))
    def post_hostile(payload):
        if username:
            client.force_login(_user(username))  # logout/password change end the session
        response = client.post(url, payload)
        statuses.append(response.status_code)
        assert response.status_code < 500, (endpoint.name, payload)

    post_hostile()
    return statuses


def test_hostile_values_in_every_form_never_give_a_500(client, demo):
    tried, reached, unreached = 0, 0, []
    for endpoint in ENDPOINTS:
        url, kwargs = url_for(endpoint)
        fields = fields_for(endpoint, kwargs)
        username = _first_user_who_reaches_the_view(client, endpoint, url)
        if username is None:
            unreached.append(endpoint.name)
            client.logout()
        tried += len(_post_hostile_values(client, endpoint, url, username, fields))
        reached += username is not None
    print(
        f"\nhostile_form_posts {tried} over {len(ENDPOINTS)} endpoints; {reached} reached the form"
    )
    print("not reached (403/404 for every candidate):", unreached)
    write_count("hostile_form_posts", tried)
    write_count("hostile_form_endpoints", len(ENDPOINTS))
    write_count("hostile_form_endpoints_reached", reached)


def write_count(name, value):
    """tests/security/counts/input.txt: one `name value` per line, the newest value kept."""
    from pathlib import Path

    path = Path(__file__).parent / "counts" / "input.txt"
    path.parent.mkdir(exist_ok=True)
    lines = [
        line
        for line in (path.read_text().splitlines() if path.exists() else [])
        if line.split(" ", 1)[0] != name
    ]
    path.write_text("\n".join([*lines, f"{name} {value}"]) + "\n")


def test_the_statement_workbook_of_an_account_without_repayments_downloads(client, people):
    """Found by the crawl in test_xss: a header-only sheet made the XLSX statement a 500."""
    from tests.collection.builders import make_loan

    account = make_loan(people)
    client.force_login(account.officer)
    response = client.get(reverse("loans:account_statement_xlsx", args=[account.pk]))
    assert response.status_code == 200
