import pytest
from django.urls import reverse

from tests.origination import surveyed

pytestmark = pytest.mark.django_db


def test_the_credit_file_shows_the_latest_score_point_by_point(
    client, origination, scorecard, loan_officer, investigator
):
    application = surveyed(loan_officer, investigator)
    score = application.scores.get()
    client.force_login(loan_officer)
    page = client.get(
        reverse("reports:credit_file", args=[application.customer.pk])
    ).content.decode()
    assert 'data-testid="score-breakdown"' in page
    assert f'data-testid="score-total">{score.total}<' in page
    assert "在本行最长逾期天数" in page and "抵(质)押率(%)" in page
