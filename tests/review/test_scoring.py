"""The scoring engine, the default scorecard and its versioning in the admin.

Expected scores are worked out by hand from the default scorecard's bins (restated below in
``POINTS``), never from the engine's own tables.
"""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import CreditWarning, Customer
from loancenter.errors import DomainError
from review import scoring
from review.admin_scoring import copy_as_new_version, put_in_use
from review.models import ApplicationScore, GradeBand, Scorecard, ScorecardRow
from review.scorecard_defaults import seed_default_scorecard
from tests.origination import draft, id_number, make_customer

pytestmark = pytest.mark.django_db

ORDER = [
    "age",
    "monthly_income",
    "payment_to_income",
    "employment_years",
    "marital_status",
    "housing_status",
    "overdue_history",
    "security_type",
    "loan_to_value",
    "warning_hits",
]


@pytest.fixture(autouse=True)
def _defaults(origination):
    """Products, LPR and version 1 of the scorecard (a flush by a transactional test removes
    what the migrations seeded)."""
    if not Scorecard.objects.filter(version=1).exists():
        seed_default_scorecard(Scorecard, ScorecardRow, GradeBand)


@pytest.fixture
def v1():
    return Scorecard.objects.get(version=1)


def born(years_old: int) -> date:
    """A birthday on 1 January: the person is exactly this old all year."""
    return date(timezone.localdate().year - years_old, 1, 1)


def person(officer, *, age, worst_dpd=0, warnings=0, **fields):
    customer = make_customer(officer, id_number=id_number(born(age)), **fields)
    if worst_dpd:
        Customer.objects.filter(pk=customer.pk).update(worst_days_past_due=worst_dpd)
        customer.refresh_from_db()
    for year in range(warnings):  # lifted entries count as well
        CreditWarning.objects.create(
            id_number=customer.id_number,
            name=customer.name,
            reason="曾恶意逃废债务",
            since=date(2015 + year, 1, 1),
            lifted_on=date(2016 + year, 1, 1),
        )
    return customer


def good_application(officer):
    """38, income 30,000, five years with the employer, married, mortgaged home; a housing
    loan of 800,000 over 240 months at 3.50% (5-year LPR, no spread) against a flat worth
    1,280,000 (LTV 62.5%)."""
    customer = person(
        officer,
        age=38,
        monthly_income=Decimal("30000"),
        employment_years=5,
        marital_status="married",
        housing_status="mortgaged",
    )
    return draft(officer, customer=customer)


def weak_application(officer):
    """24, income 8,000, new in the job, single, renting, 45 days past due once, once on the
    warning list; an unsecured consumer loan of 200,000 over 60 months at 5.00% (1-year LPR
    3.00% + 200 bp)."""
    customer = person(
        officer,
        age=24,
        worst_dpd=45,
        warnings=1,
        monthly_income=Decimal("8000"),
        employment_years=0,
        marital_status="single",
        housing_status="rent",
    )
    return draft(
        officer,
        customer=customer,
        product_code="CONSUMER",
        amount=Decimal("200000"),
        term_months=60,
        rate_spread_bp=200,
        security_type="credit",
        purpose="装修",
    )


def middle_application(officer):
    """29, income 13,500, two years with the employer, divorced, lives with family, 10 days
    past due once; a guaranteed consumer loan of 150,000 over 36 months at 4.00%."""
    customer = person(
        officer,
        age=29,
        worst_dpd=10,
        monthly_income=Decimal("13500"),
        employment_years=2,
        marital_status="divorced",
        housing_status="family",
    )
    return draft(
        officer,
        customer=customer,
        product_code="CONSUMER",
        amount=Decimal("150000"),
        term_months=36,
        rate_spread_bp=100,
        security_type="guarantee",
        purpose="购车",
    )


def older_application(officer):
    """58, income 60,000, twelve years with the employer, widowed, owns a home outright, 95
    days past due once, twice on the warning list; a business loan of 1,000,000 over 60
    months at 5.50% (3.00% + 250 bp) against a pledged deposit worth 1,600,000."""
    customer = person(
        officer,
        age=58,
        worst_dpd=95,
        warnings=2,
        monthly_income=Decimal("60000"),
        employment_years=12,
        marital_status="widowed",
        housing_status="own",
    )
    return draft(
        officer,
        customer=customer,
        product_code="BUSINESS",
        amount=Decimal("1000000"),
        term_months=60,
        rate_spread_bp=250,
        security_type="pledge",
        purpose="经营周转",
    )


def annuity(principal, annual_rate_percent, months) -> Decimal:
    """等额本息 payment P·r(1+r)^n / ((1+r)^n − 1), to the fen."""
    r = Decimal(annual_rate_percent) / 1200
    growth = (1 + r) ** months
    return (Decimal(principal) * r * growth / (growth - 1)).quantize(Decimal("0.01"))


def pti(payment, income) -> Decimal:
    return (payment * 100 / Decimal(income)).quantize(Decimal("0.01"))


def by_code(score):
    return {item["code"]: item for item in score.breakdown}


def test_hand_computed_pti_matches_the_schedule():
    # the payments the hand-worked examples below rely on
    assert annuity(800000, "3.50", 240) == Decimal("4639.68")
    assert pti(annuity(800000, "3.50", 240), 30000) == Decimal("15.47")
    assert pti(annuity(200000, "5.00", 60), 8000) == Decimal("47.18")
    assert pti(annuity(150000, "4.00", 36), 13500) == Decimal("32.80")
    assert pti(annuity(1000000, "5.50", 60), 60000) == Decimal("31.84")


@pytest.mark.parametrize(
    ("build", "values", "points", "total", "grade", "decision", "max_amount", "spread"),
    [
        (
            good_application,
            ["38", "30000.00", "15.47", "5", "married", "mortgaged", "0", "mortgage", "62.50", "0"],
            # 30–45: 80; 20k–50k: 75; PTI <20: 100; 5–10 y: 75; married 70; mortgaged 75;
            # never overdue 100; mortgage 90; LTV 60–70: 70; never listed 80
            [80, 75, 100, 75, 70, 75, 100, 90, 70, 80],
            815,
            "A",  # ≥ 720
            "approve",
            Decimal("3600000.00"),  # 10 × 30,000 × 12
            0,
        ),
        (
            weak_application,
            ["24", "8000.00", "47.18", "0", "single", "rent", "45", "credit", None, "1"],
            # <25: 45; 5k–10k: 45; PTI 40–50: 45; <1 y: 30; single 50; rent 45;
            # 31–60 days: 45; credit 50; no collateral → missing 45; one entry 30
            [45, 45, 45, 30, 50, 45, 45, 50, 45, 30],
            430,
            "E",  # below 500
            "decline",
            Decimal("0.00"),  # 0 × annual income
            300,
        ),
        (
            middle_application,
            ["29", "13500.00", "32.80", "2", "divorced", "family", "10", "guarantee", None, "0"],
            # 25–30: 60; 10k–20k: 60; PTI 30–40: 70; 1–3 y: 45; divorced 45; family 55;
            # 1–30 days: 80; guarantee 65; no collateral → missing 45; never listed 80
            [60, 60, 70, 45, 45, 55, 80, 65, 45, 80],
            605,
            "C",  # 580 ≤ 605 < 650
            "careful",
            Decimal("972000.00"),  # 6 × 13,500 × 12
            80,
        ),
        (
            older_application,
            ["58", "60000.00", "31.84", "12", "widowed", "own", "95", "pledge", "62.50", "2"],
            # 55–60: 55; ≥50k: 80; PTI 30–40: 70; ≥10 y: 80; widowed 55; own 85;
            # ≥91 days: 0; pledge 85; LTV 60–70: 70; two entries 0
            [55, 80, 70, 80, 55, 85, 0, 85, 70, 0],
            580,
            "C",  # exactly C's minimum: the band's minimum is included
            "careful",
            Decimal("4320000.00"),  # 6 × 60,000 × 12
            80,
        ),
    ],
    ids=["good", "weak", "middle", "older"],
)
def test_hand_computed_scores(
    loan_officer, v1, build, values, points, total, grade, decision, max_amount, spread
):
    application = build(loan_officer)
    assert sum(points) == total

    score = scoring.score_application(application=application, trigger=ApplicationScore.SURVEY)

    assert score.pk and score.scorecard == v1
    assert score.breakdown == [
        {"code": code, "value": value, "points": point}
        for code, value, point in zip(ORDER, values, points, strict=True)
    ]
    assert (score.total, score.grade, score.decision) == (total, grade, decision)
    assert (score.max_amount, score.spread_bp) == (max_amount, spread)
    assert (score.amount, score.term_months) == (application.amount, application.term_months)
    assert scoring.latest_score(application) == score


def test_scoring_at_another_amount_and_term_uses_them(loan_officer):
    application = good_application(loan_officer)
    score = scoring.score_application(
        application=application,
        trigger=ApplicationScore.REVIEW,
        amount=Decimal("1000000"),
        term_months=120,
    )
    payment = annuity(1000000, "3.50", 120)  # 9888.62 → PTI 32.96%: 70 points
    assert by_code(score)["payment_to_income"] == {
        "code": "payment_to_income",
        "value": str(pti(payment, 30000)),
        "points": 70,
    }
    # 1,000,000 ÷ 1,280,000 = 78.13%: 70–80, 55 points
    assert by_code(score)["loan_to_value"]["value"] == "78.13"
    assert by_code(score)["loan_to_value"]["points"] == 55
    assert score.total == 815 - 30 - 15
    assert (score.amount, score.term_months) == (Decimal("1000000.00"), 120)
    assert scoring.latest_score(application) == score


def test_characteristic_values(loan_officer):
    application = good_application(loan_officer)
    values = scoring.characteristic_values(
        application, amount=application.amount, term_months=application.term_months
    )
    assert values == {
        "age": 38,
        "monthly_income": Decimal("30000.00"),
        "payment_to_income": Decimal("15.47"),
        "employment_years": 5,
        "marital_status": "married",
        "housing_status": "mortgaged",
        "overdue_history": 0,
        "security_type": "mortgage",
        "loan_to_value": Decimal("62.50"),
        "warning_hits": 0,
    }


def test_numeric_bins_include_their_minimum_and_exclude_their_maximum(loan_officer, v1):
    application = good_application(loan_officer)
    customer = application.customer
    # overdue_history: [−∞, 1) 100 · [1, 31) 80 · [31, 61) 45 · [61, 91) 20 · [91, +∞) 0
    # employment_years: [−∞, 1) 30 · [1, 3) 45 · [3, 5) 60 · [5, 10) 75 · [10, +∞) 80
    cases = [
        (0, 0, 100, 30),
        (1, 1, 80, 45),
        (30, 2, 80, 45),
        (31, 3, 45, 60),
        (60, 4, 45, 60),
        (61, 5, 20, 75),
        (90, 9, 20, 75),
        (91, 10, 0, 80),
    ]
    for dpd, years, dpd_points, years_points in cases:
        Customer.objects.filter(pk=customer.pk).update(
            worst_days_past_due=dpd, employment_years=years
        )
        application.customer.refresh_from_db()
        score = scoring.score_application(application=application, trigger="survey")
        assert by_code(score)["overdue_history"]["points"] == dpd_points, dpd
        assert by_code(score)["employment_years"]["points"] == years_points, years


def _custom_scorecard(version=90, rows=(), bands=(("A", 0, "approve", "1", 0),)):
    card = Scorecard.objects.create(version=version, name="测试评分卡")
    for characteristic, bins, missing in rows:
        ScorecardRow.objects.create(
            scorecard=card, characteristic=characteristic, bins=bins, missing_points=missing
        )
    for grade, min_score, decision, multiple, spread in bands:
        GradeBand.objects.create(
            scorecard=card,
            grade=grade,
            min_score=min_score,
            decision=decision,
            max_income_multiple=Decimal(multiple),
            spread_bp=spread,
        )
    return card


def test_bins_with_fractional_edges_open_ends_and_overlaps(loan_officer):
    application = good_application(loan_officer)  # LTV 62.50, PTI 15.47, income 30,000
    card = _custom_scorecard(
        rows=[
            # a JSON float edge: 62.5 is the first value of the upper bin
            (
                "loan_to_value",
                [{"min": None, "max": 62.5, "points": 1}, {"min": 62.5, "points": 2}],
                9,
            ),
            # overlapping bins: the first that matches wins
            (
                "payment_to_income",
                [{"min": 0, "max": 100, "points": 5}, {"min": 15, "max": 16, "points": 7}],
                9,
            ),
            # 15.47 is not below 15.47
            (
                "monthly_income",
                [{"max": "30000", "points": 3}, {"min": "30000.00", "points": 4}],
                9,
            ),
        ]
    )
    score = scoring.score_application(application=application, trigger="survey", scorecard=card)
    assert [(item["code"], item["points"]) for item in score.breakdown] == [
        ("loan_to_value", 2),
        ("payment_to_income", 5),
        ("monthly_income", 4),
    ]
    assert score.total == 11


def test_category_bins_and_values_no_bin_matches(loan_officer):
    application = good_application(loan_officer)  # married, mortgaged, mortgage
    card = _custom_scorecard(
        rows=[
            (
                "marital_status",
                [{"value": "single", "points": 1}, {"value": "married", "points": 8}],
                0,
            ),
            ("housing_status", [{"value": "own", "points": 6}], -4),  # no bin: missing points
            ("security_type", [], 3),
        ]
    )
    score = scoring.score_application(application=application, trigger="survey", scorecard=card)
    assert score.breakdown == [
        {"code": "marital_status", "value": "married", "points": 8},
        {"code": "housing_status", "value": "mortgaged", "points": -4},
        {"code": "security_type", "value": "mortgage", "points": 3},
    ]
    assert score.total == 7


def test_unknown_values_score_the_missing_points(loan_officer, v1):
    customer = person(loan_officer, age=40, monthly_income=Decimal("0"))
    application = draft(
        loan_officer,
        customer=customer,
        product_code="CONSUMER",
        amount=Decimal("100000"),
        term_months=36,
        security_type="credit",
    )
    score = scoring.score_application(application=application, trigger="survey")
    rows = by_code(score)
    # no income: income and PTI unknown; no collateral: LTV unknown
    assert rows["monthly_income"] == {"code": "monthly_income", "value": None, "points": 30}
    assert rows["payment_to_income"] == {"code": "payment_to_income", "value": None, "points": 20}
    assert rows["loan_to_value"] == {"code": "loan_to_value", "value": None, "points": 45}
    assert score.max_amount == Decimal("0.00")


def test_grade_bands(v1):
    cases = [(855, "A"), (720, "A"), (719, "B"), (650, "B"), (649, "C"), (580, "C")]
    cases += [(579, "D"), (500, "D"), (499, "E"), (0, "E"), (-10, "E")]  # below all: lowest
    for total, grade in cases:
        assert scoring.grade_for(v1, total).grade == grade, total
    band = scoring.grade_for(v1, 650)
    assert (band.decision, band.max_income_multiple, band.spread_bp) == ("approve", 8, 30)


def test_a_scorecard_without_bands_cannot_grade(loan_officer):
    card = _custom_scorecard(rows=[("age", [{"points": 1}], 0)], bands=())
    with pytest.raises(DomainError):
        scoring.grade_for(card, 10)


def test_no_active_scorecard_no_score(loan_officer, v1):
    Scorecard.objects.update(is_active=False)
    application = good_application(loan_officer)
    assert scoring.score_application(application=application, trigger="survey") is None
    assert scoring.latest_score(application) is None


def test_departures(loan_officer):
    weak = scoring.score_application(
        application=weak_application(loan_officer), trigger="survey"
    )  # E: decline, maximum 0.00, spread 300
    with translation.override("en"):
        assert scoring.departures(
            weak, decision="agree", amount=Decimal("200000"), spread_bp=200
        ) == [
            "The score suggests declining (grade E, 430 points).",
            "The amount 200,000.00 exceeds the score's suggested maximum of 0.00.",
            "The spread of 200 bp is below the 300 bp the score suggests for grade E.",
        ]
    # Chinese by default
    messages = scoring.departures(weak, decision="approve", amount=None, spread_bp=300)
    assert len(messages) == 1 and "E" in messages[0] and "declining" not in messages[0]
    # declining or returning follows the score
    for decision in ("decline", "disagree", "reject", "return"):
        assert scoring.departures(weak, decision=decision, amount=1, spread_bp=0) == []

    good = scoring.score_application(application=good_application(loan_officer), trigger="survey")
    # A: approve, up to 3,600,000.00, spread 0
    assert scoring.departures(good, decision="agree", amount=Decimal("3600000"), spread_bp=0) == []
    with translation.override("en"):
        assert scoring.departures(
            good, decision="escalate", amount=Decimal("3600000.01"), spread_bp=-10
        ) == [
            "The amount 3,600,000.01 exceeds the score's suggested maximum of 3,600,000.00.",
            "The spread of -10 bp is below the 0 bp the score suggests for grade A.",
        ]


def test_a_new_version_leaves_old_scores_reproducible(loan_officer, v1):
    application = good_application(loan_officer)
    old = scoring.score_application(application=application, trigger="survey")
    assert old.total == 815

    v2 = copy_as_new_version(v1)
    assert (v2.version, v2.is_active, v2.name) == (2, False, v1.name)
    assert v2.rows.count() == 10 and v2.grades.count() == 5
    row = v2.rows.get(characteristic="payment_to_income")
    row.bins = [{"min": None, "max": 20, "points": 120}, *row.bins[1:]]
    row.save()
    put_in_use(v2)
    v1.refresh_from_db()
    assert not v1.is_active and Scorecard.objects.get(is_active=True) == v2

    new = scoring.score_application(application=application, trigger="review")
    assert (new.scorecard, new.total) == (v2, 835)

    old_total, old_breakdown = old.total, old.breakdown
    old.refresh_from_db()
    assert (old.scorecard, old.total, old.breakdown) == (v1, old_total, old_breakdown)
    again = scoring.score_application(application=application, trigger="review", scorecard=v1)
    assert (again.total, again.grade, again.breakdown) == (815, "A", old.breakdown)
    # the original version is untouched by the copy's change
    assert v1.rows.get(characteristic="payment_to_income").bins[0]["points"] == 100


# --- admin -------------------------------------------------------------------------------


def _change_form_data(card, **changes):
    """The admin change form as posted, rows and bands included."""
    data = {
        "version": card.version,
        "name": card.name,
        "reasoning": card.reasoning,
        "_save": "Save",
    }
    for prefix, objects, fields in (
        ("rows", list(card.rows.order_by("pk")), ("characteristic", "missing_points")),
        (
            "grades",
            list(card.grades.order_by("-min_score")),
            ("grade", "min_score", "decision", "max_income_multiple", "spread_bp"),
        ),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(objects),
                f"{prefix}-INITIAL_FORMS": len(objects),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, obj in enumerate(objects):
            data[f"{prefix}-{index}-id"] = obj.pk
            data[f"{prefix}-{index}-scorecard"] = card.pk
            for field in fields:
                data[f"{prefix}-{index}-{field}"] = getattr(obj, field)
            if prefix == "rows":
                data[f"{prefix}-{index}-bins"] = json.dumps(obj.bins)
    data.update(changes)
    return data


def test_a_used_scorecard_is_read_only_in_the_admin(client, superuser, loan_officer, v1):
    scoring.score_application(application=good_application(loan_officer), trigger="survey")
    client.force_login(superuser)
    url = reverse("admin:review_scorecard_change", args=[v1.pk])

    page = client.get(url).content.decode()
    assert "30–45 岁收入和家庭最稳定" in page  # the reasoning is shown as the description
    assert 'name="name"' not in page  # nothing to edit
    assert 'name="rows-0-bins"' not in page

    response = client.post(
        url, _change_form_data(v1, name="改过的名字", **{"rows-0-missing_points": 99})
    )
    assert response.status_code == 403
    v1.refresh_from_db()
    assert v1.name == "个人贷款申请评分卡"
    assert v1.rows.get(characteristic="age").missing_points == 45

    listing = client.get(reverse("admin:review_scorecard_changelist")).content.decode()
    assert "个人贷款申请评分卡" in listing


def test_the_admin_copies_a_version_and_puts_it_in_use(client, superuser, loan_officer, v1):
    scoring.score_application(application=good_application(loan_officer), trigger="survey")
    client.force_login(superuser)
    changelist = reverse("admin:review_scorecard_changelist")

    response = client.post(
        changelist, {"action": "copy_as_new_version", "_selected_action": [v1.pk]}
    )
    assert response.status_code == 302
    v2 = Scorecard.objects.get(version=2)
    assert not v2.is_active and v2.reasoning == v1.reasoning
    assert list(v2.rows.values_list("characteristic", "bins", "missing_points")) == list(
        v1.rows.values_list("characteristic", "bins", "missing_points")
    )
    assert list(v2.grades.values_list("grade", "min_score", "decision", "spread_bp")) == list(
        v1.grades.values_list("grade", "min_score", "decision", "spread_bp")
    )

    # the copy has scored nothing: it may be changed, and bad bins are refused
    url = reverse("admin:review_scorecard_change", args=[v2.pk])
    assert 'name="rows-0-bins"' in client.get(url).content.decode()
    refused = [
        ('[{"min": 30, "max": 20, "points": 1}]', "分档的下限(min)须小于上限(max)"),
        ('[{"min": 30, "points": 1.5}]', "每个分档都须有整数分值"),
        ('[{"value": "married", "points": 1}]', "该特征按数值区间"),
        ('{"min": 1, "points": 1}', "请以列表形式至少填写一个分档"),
    ]
    for bins, message in refused:
        response = client.post(url, _change_form_data(v2, **{"rows-0-bins": bins}))
        assert response.status_code == 200  # the form again, with the error
        assert message in response.content.decode(), bins
    marital = list(v2.rows.order_by("pk").values_list("characteristic", flat=True)).index(
        "marital_status"
    )
    response = client.post(
        url,
        _change_form_data(v2, **{f"rows-{marital}-bins": '[{"value": "engaged", "points": 1}]'}),
    )
    assert "该特征按类别分档" in response.content.decode()
    assert v2.rows.get(characteristic="age").bins == v1.rows.get(characteristic="age").bins
    response = client.post(
        url,
        _change_form_data(
            v2, name="评分卡(第二版)", **{"rows-0-bins": '[{"min": null, "points": 50}]'}
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    v2.refresh_from_db()
    assert v2.name == "评分卡(第二版)"
    assert v2.rows.get(characteristic="age").bins == [{"min": None, "points": 50}]

    both = {"action": "put_in_use", "_selected_action": [v1.pk, v2.pk]}
    assert client.post(changelist, both, follow=True).status_code == 200
    assert Scorecard.objects.get(is_active=True) == v1  # one version at a time

    response = client.post(changelist, {"action": "put_in_use", "_selected_action": [v2.pk]})
    assert response.status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v2.is_active and not v1.is_active

    # once it scores, v2 is frozen too
    scoring.score_application(application=good_application(loan_officer), trigger="survey")
    assert client.post(url, _change_form_data(v2, name="再改")).status_code == 403
