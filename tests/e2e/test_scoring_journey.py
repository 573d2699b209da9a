"""The score in the browser: the investigator completes the survey and sees the grade; the
reviewer lowers the amount and sees the application rescored."""

import re

import pytest
from playwright.sync_api import expect

from applications import services
from review.models import GradeBand, Scorecard, ScorecardRow
from review.scorecard_defaults import seed_default_scorecard
from tests.e2e.test_origination import confirm_survey, open_from_queue, switch_user
from tests.origination import submitted, survey_data


@pytest.fixture
def scorecard(origination):
    if not Scorecard.objects.filter(is_active=True).exists():
        seed_default_scorecard(Scorecard, ScorecardRow, GradeBand)


def test_the_survey_shows_the_grade_and_the_reviewers_change_rescores(
    page, sign_in, scorecard, loan_officer, investigator, reviewer
):
    application = submitted(loan_officer)
    application = services.claim_survey(user=investigator, application=application, draw=0.99)
    services.confirm_survey(
        user=loan_officer, application=application, data=survey_data(application)
    )

    sign_in(investigator.username)
    open_from_queue(page, application.number)
    confirm_survey(page, "收入稳定,抵押充足,建议同意。")
    first = application.scores.get()
    panel = page.get_by_test_id("review-panel")
    expect(panel.get_by_test_id("score-grade")).to_have_text(first.grade)
    expect(panel.get_by_test_id("score-total")).to_have_text(str(first.total))
    expect(panel.get_by_test_id("score-breakdown")).to_contain_text("月供收入比(%)")
    expect(panel.get_by_test_id("score")).to_contain_text("调查完成")

    switch_user(page, sign_in, reviewer.username)
    open_from_queue(page, application.number)
    page.get_by_test_id("review-panel").get_by_role("link", name="审查", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("审查"))).to_be_visible()
    expect(page.get_by_test_id("score-grade")).to_have_text(first.grade)  # the reviewer sees why
    page.get_by_label("建议金额").fill("500000")
    page.locator("[name=decision]").select_option(label="同意")
    page.locator("[name=text]").fill("降低金额以控制月供收入比,同意。")
    page.get_by_role("button", name="提交审查意见").click()
    expect(page.get_by_role("alert").filter(has_text="审查意见已提交。")).to_be_visible()

    rescored = application.scores.latest("created_at")
    assert rescored.pk != first.pk and rescored.amount == 500000
    panel = page.get_by_test_id("review-panel")
    expect(panel.get_by_test_id("score")).to_contain_text("审查人建议")
    expect(panel.get_by_test_id("score")).to_contain_text("500,000.00")
    expect(panel.get_by_test_id("score-total")).to_have_text(str(rescored.total))
