import json
import re
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loancenter.repayment import MAX_MONTHS, METHOD_CHOICES, build_schedule

# Plain decimals only: Decimal() alone would also take "1e6", "nan", "Infinity" and " 1_000 ".
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
WHOLE_NUMBER = re.compile(r"[0-9]+")
METHODS = [code for code, _label in METHOD_CHOICES]
ROW = "{:>6}  {:<10}  {:>16}  {:>16}  {:>14}  {:>16}"


class Command(BaseCommand):
    help = "Print a repayment schedule (RULES.md §4) as a table, or as JSON with --json."

    def add_arguments(self, parser):
        parser.add_argument("--principal", required=True, help="Amount lent, e.g. 1000000.00")
        parser.add_argument("--annual-rate", required=True, help="Annual percent, e.g. 4.9")
        parser.add_argument("--months", required=True, help=f"Term in months, 1 to {MAX_MONTHS}")
        parser.add_argument("--method", required=True, help=f"One of: {', '.join(METHODS)}")
        parser.add_argument("--start", help="Value date YYYY-MM-DD (default: today in Shanghai)")
        parser.add_argument("--json", action="store_true", help="Print the schedule as JSON")

    def handle(self, *args, **options):
        try:
            schedule = build_schedule(
                principal=_number("--principal", options["principal"], "1000000.00"),
                annual_rate=_number("--annual-rate", options["annual_rate"], "4.9"),
                months=_months(options["months"]),
                method=_method(options["method"]),
                value_date=_start(options["start"]),
            )
        except (ValueError, TypeError) as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(schedule.as_dict(), ensure_ascii=False))
        else:
            self._write_table(schedule)

    def _write_table(self, schedule):
        self.stdout.write(
            ROW.format("Period", "Due date", "Payment", "Principal", "Interest", "Balance")
        )
        for item in schedule.installments:
            amounts = (item.payment, item.principal, item.interest, item.balance)
            self.stdout.write(
                ROW.format(item.period, item.due_date.isoformat(), *(f"{a:,}" for a in amounts))
            )
        self.stdout.write(_summary(schedule))


def _summary(schedule) -> str:
    months = f"{schedule.months} month{'' if schedule.months == 1 else 's'}"
    return (
        f"{dict(METHOD_CHOICES)[schedule.method]}: {schedule.principal:,} at "
        f"{schedule.annual_rate}% over {months} from {schedule.value_date.isoformat()}; "
        f"first payment {schedule.payment:,}, largest {schedule.max_payment:,}, "
        f"total interest {schedule.total_interest:,}, total paid {schedule.total_payment:,}, "
        f"maturity {schedule.maturity_date.isoformat()}."
    )


def _number(option: str, text, example: str) -> Decimal:
    cleaned = str(text).strip()
    if not PLAIN_NUMBER.fullmatch(cleaned):
        raise CommandError(
            f"{option} must be a plain decimal number such as {example}, not {text!r}."
        )
    return Decimal(cleaned)


def _months(text) -> int:
    cleaned = str(text).strip()
    if not WHOLE_NUMBER.fullmatch(cleaned) or not 1 <= int(cleaned) <= MAX_MONTHS:
        raise CommandError(f"--months must be a whole number from 1 to {MAX_MONTHS}, not {text!r}.")
    return int(cleaned)


def _method(code: str) -> str:
    if code not in METHODS:
        raise CommandError(f"--method must be one of {', '.join(METHODS)}, not {code!r}.")
    return code


def _start(text) -> date:
    if text is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise CommandError(f"--start must be a date as YYYY-MM-DD, not {text!r}.") from None
