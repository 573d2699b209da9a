import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from loancenter.repayment import EQUAL_PRINCIPAL, build_schedule

WORKED_EXAMPLE = [
    "--principal",
    "1000000",
    "--annual-rate",
    "4.9",
    "--months",
    "360",
    "--method",
    "equal_installment",
]


def run(*args):
    out = StringIO()
    call_command("repayment_schedule", *args, stdout=out)
    return out.getvalue()


def test_json_output_reproduces_the_worked_example():
    data = json.loads(run(*WORKED_EXAMPLE, "--start", "2026-01-15", "--json"))
    assert data["payment"] == "5307.27"
    assert data["principal"] == "1000000.00"
    assert data["annual_rate"] == "4.9"
    assert len(data["installments"]) == 360
    assert data["installments"][0]["due_date"] == "2026-02-15"
    assert data["installments"][-1]["due_date"] == "2056-01-15"
    assert data["installments"][-1]["balance"] == "0.00"


def test_json_output_is_exactly_the_schedule_as_a_dict():
    expected = build_schedule(
        principal=Decimal("120000"),
        annual_rate=Decimal("3.6"),
        months=12,
        method=EQUAL_PRINCIPAL,
        value_date=date(2026, 1, 31),
    ).as_dict()
    output = run(
        "--principal=120000",
        "--annual-rate=3.6",
        "--months=12",
        "--method=equal_principal",
        "--start=2026-01-31",
        "--json",
    )
    assert output == json.dumps(expected, ensure_ascii=False) + "\n"


def test_the_value_date_defaults_to_today_in_shanghai(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 31))
    data = json.loads(run(*WORKED_EXAMPLE, "--json"))
    assert data["installments"][0]["due_date"] == "2026-02-28"


def test_the_table_shows_every_installment_and_a_summary():
    lines = run(*WORKED_EXAMPLE, "--start", "2026-01-15").splitlines()
    assert lines[0].split() == [
        "Period",
        "Due",
        "date",
        "Payment",
        "Principal",
        "Interest",
        "Balance",
    ]
    assert lines[1].split() == ["1", "2026-02-15", "5,307.27", "1,223.94", "4,083.33", "998,776.06"]
    assert lines[360].split()[:2] == ["360", "2056-01-15"]
    assert lines[360].split()[-1] == "0.00"
    summary = lines[361]
    assert "等额本息" in summary
    assert "first payment 5,307.27" in summary
    assert "maturity 2056-01-15" in summary
    assert len(lines) == 362


def test_a_bullet_loan_has_one_row():
    output = run(
        "--principal",
        "120000",
        "--annual-rate",
        "3.6",
        "--months",
        "12",
        "--method",
        "bullet",
        "--start",
        "2026-01-15",
    )
    lines = output.splitlines()
    assert lines[1].split() == ["1", "2027-01-15", "124,320.00", "120,000.00", "4,320.00", "0.00"]
    assert "total interest 4,320.00" in lines[2]


def _with(option, value):
    args = list(WORKED_EXAMPLE) + ["--start", "2026-01-15"]
    args[args.index(option) + 1] = value
    return args


@pytest.mark.parametrize(
    "option,value,message",
    [
        ("--principal", "abc", "--principal must be a plain decimal number"),
        ("--principal", "1e6", "--principal must be a plain decimal number"),
        ("--principal", "NaN", "--principal must be a plain decimal number"),
        ("--principal", "1.0.0", "--principal must be a plain decimal number"),
        ("--principal", "0", "greater than zero"),
        ("--principal", "-5", "greater than zero"),
        ("--principal", "100.001", "two decimal places"),
        ("--annual-rate", "4,9", "--annual-rate must be a plain decimal number"),
        ("--annual-rate", "inf", "--annual-rate must be a plain decimal number"),
        ("--annual-rate", "100", "annual_rate"),
        ("--months", "0", "--months must be a whole number"),
        ("--months", "601", "--months must be a whole number"),
        ("--months", "12.5", "--months must be a whole number"),
        ("--method", "balloon", "--method must be one of"),
        ("--start", "2026-02-30", "--start must be a date"),
    ],
)
def test_bad_input_is_refused_with_a_command_error(option, value, message):
    with pytest.raises(CommandError, match=message):
        run(*_with(option, value))


def test_a_missing_option_is_refused_with_a_command_error():
    with pytest.raises(CommandError, match="--method"):
        run("--principal", "1000", "--annual-rate", "4.9", "--months", "12")
