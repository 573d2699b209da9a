"""Scoring inside the workflow: at survey completion, on the reviewer's change, on the pages."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from loancenter.errors import RuleViolations
from review import services
from review.models import ApplicationScore, Scorecard
from review.scorecard_defaults import seed_default_scorecard
from tests.origination import review_data, surveyed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _scorecard(origination):
    from review.models import GradeBand, ScorecardRow

    if not Scorecard.objects.filter(is_active=True).exists():
        seed_default_scorecard(Scorecard, ScorecardRow, GradeBand)


def test_completing_the_survey_scores_the_application(loan_officer, investigator):
    application = surveyed(loan_officer, investigator)
    score = application.scores.get()
    assert score.trigger == ApplicationScore.SURVEY
    assert score.scorecard.version == 1
    assert (score.amount, score.term_months) == (application.amount, application.term_months)
    assert len(score.breakdown) == 10 and score.total == sum(r["points"] for r in score.breakdown)


def test_the_reviewers_change_of_amount_rescores_and_the_old_score_stays(
    loan_officer, investigator, reviewer
):
    application = surveyed(loan_officer, investigator)
    first = application.scores.get()
    services.review_application(
        user=reviewer,
        application=application,
        data=review_data(
            application, proposed_amount=Decimal("600000.00"), proposed_term_months=180
        ),
    )
    second = application.scores.latest("created_at")
    assert second.trigger == ApplicationScore.REVIEW
    assert (second.amount, second.term_months) == (Decimal("600000.00"), 180)
    assert ApplicationScore.objects.get(pk=first.pk).total == first.total
    assert application.scores.count() == 2


def test_a_review_that_departs_from_the_suggestion_needs_a_written_reason(
    loan_officer, investigator, reviewer
):
    application = surveyed(loan_officer, investigator)
    score = application.scores.get()
    too_cheap = application.lpr_rate + Decimal(score.spread_bp - 10) / 100
    data = review_data(application, proposed_rate=too_cheap, departure_reason="")
    with pytest.raises(RuleViolations, match="偏离评分建议须书面说明理由"):
        services.review_application(user=reviewer, application=application, data=data)
    data["departure_reason"] = "优质代发工资客户,执行优惠利率"
    opinion = services.review_application(user=reviewer, application=application, data=data)
    assert opinion.departure_reason == "优质代发工资客户,执行优惠利率"


def test_the_application_page_and_the_approval_sheet_show_the_breakdown(
    client, loan_officer, investigator, reviewer
):
    application = surveyed(loan_officer, investigator)
    score = application.scores.get()
    services.review_application(
        user=reviewer, application=application, data=review_data(application)
    )
    client.force_login(reviewer)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-testid="score-breakdown"' in page
    assert f'data-testid="score-grade">{score.grade}<' in page
    assert "月供收入比(%)" in page and "按揭" in page  # labels and category values in Chinese
    client.force_login(loan_officer)
    pdf = client.get(reverse("review:approval_sheet", args=[application.pk])).content
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "信用评分" in text and f"{score.total}分/{score.grade}级" in text
    assert "在本行最长逾期天数" in text  # each characteristic, labelled in Chinese
