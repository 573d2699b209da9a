"""The repayment calculator (试算) answers RULES.md §4's worked example, as a page and by htmx."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

URL = reverse("loans:calculator")
WORKED_EXAMPLE = {
    "principal": "1,000,000",
    "annual_rate": "4.9",
    "months": "360",
    "method": "equal_installment",
    "value_date": "2026-01-15",
}


@pytest.fixture
def signed_in(client, make_user):
    client.force_login(make_user("archivist", "archivist"))  # any staff member
    return client


def ask(client, htmx=False, **overrides):
    data = {**WORKED_EXAMPLE, **overrides}
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.get(URL, data, **extra)


class TestTheWorkedExample:
    def test_the_full_page_gives_5307_27_a_month(self, signed_in):
        response = ask(signed_in)

        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" in html
        assert "还款试算" in html
        assert 'hx-get="/loans/calculator/"' in html
        assert "5,307.27" in html
        assert "月供" in html
        schedule = response.context["schedule"]
        assert len(schedule.installments) == 360
        assert f"{schedule.total_interest:,.2f}" in html
        assert f"{schedule.total_payment:,.2f}" in html
        assert "2056-01-15" in html

    def test_the_htmx_fragment_gives_the_same_answer_without_the_page(self, signed_in):
        response = ask(signed_in, htmx=True)

        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html
        assert 'data-testid="calculator-summary"' in html
        assert "5,307.27" in html
        assert "HX-Request" in response["Vary"]

    @pytest.mark.parametrize("htmx", [False, True])
    def test_equal_principal_starts_at_6861_11_and_falls_11_34_a_month(self, signed_in, htmx):
        response = ask(signed_in, htmx=htmx, method="equal_principal")

        html = response.content.decode()
        assert "6,861.11" in html
        assert "首期还款" in html
        first, second = response.context["schedule"].installments[:2]
        assert (first.principal, first.interest) == (D("2777.78"), D("4083.33"))
        assert first.payment - second.payment == D("11.34")

    def test_an_empty_page_asks_for_the_terms(self, signed_in):
        response = signed_in.get(URL)

        assert response.status_code == 200
        assert "填写贷款金额、年利率和期限即可试算每期还款" in response.content.decode()

    def test_a_visitor_is_sent_to_sign_in(self, client):
        assert ask(client).status_code == 302


class TestBadInput:
    @pytest.mark.parametrize("htmx", [False, True])
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("principal", "", "请填写贷款金额"),
            ("principal", "abc", "不是有效的金额"),
            ("principal", "0", "金额必须大于零"),
            ("principal", "100.001", "两位小数"),
            ("principal", "1e400", "不是有效的金额"),
            ("principal", "9999999999999", "贷款金额最多为"),
            ("annual_rate", "", "请填写年利率"),
            ("annual_rate", "four", "年利率请填写数字"),
            ("annual_rate", "NaN", "年利率请填写数字"),
            ("annual_rate", "-1", "年利率须在 0 至 24 之间"),
            ("annual_rate", "24.01", "年利率须在 0 至 24 之间"),
            ("annual_rate", "4.12345", "四位小数"),
            ("months", "0", "期限须在 1 至 600 个月之间"),
            ("months", "601", "期限须在 1 至 600 个月之间"),
            ("months", "12.5", "期限请填写整数月数"),
            ("months", "", "请填写贷款期限"),
            ("method", "weekly", "选择一个有效的选项"),
            ("value_date", "2026-02-30", "请输入有效日期"),
        ],
    )
    def test_it_shows_a_message_and_no_500(self, signed_in, htmx, field, value, message):
        response = ask(signed_in, htmx=htmx, **{field: value})

        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert 'data-testid="calculator-errors"' in html
        assert response.context["schedule"] is None

    def test_a_zero_rate_and_the_limits_are_accepted(self, signed_in):
        response = ask(signed_in, annual_rate="0", months="600", principal="6000")
        schedule = response.context["schedule"]
        assert schedule is not None
        assert schedule.payment == D("10.00")
        assert ask(signed_in, annual_rate="24", months="1").context["schedule"] is not None

    def test_a_percent_sign_is_allowed_in_the_rate(self, signed_in):
        assert "5,307.27" in ask(signed_in, annual_rate="4.9%").content.decode()
