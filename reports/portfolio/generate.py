"""``generate_portfolio``: a realistic book of N loans, bulk-loaded into PostgreSQL.

Customers, applications and loan accounts are planned in Python and COPYed in; installments,
repayments, allocations, archive items and their custody events are written by INSERT … SELECT
in the database from a few thousand schedule templates. The tables are loaded without their
secondary indexes and constraints, which are rebuilt (and every row checked) once at the end.
The book then goes through the real overdue sweep for its as-of date, which brings positions,
penalties, classification, collection cases, post-loan checks and the snapshot up to date.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction

from applications.models import Customer, LoanApplication, LoanPrimeRate, LoanProduct, Status
from archive.models import ArchiveItem, CustodyEvent, Dossier
from loancenter import roles
from loancenter.demo import seed_staff
from loancenter.errors import DomainError
from loancenter.models import NumberSequence
from loans.models import Installment, LoanAccount, Repayment, RepaymentAllocation
from loans.sweep.runner import run_sweep

from . import people
from .bulk import Copier, copy_plain, copy_text, execute, next_id, reset_sequence, without_indexes
from .plan import Loan, Templates, pick, plan_loan

BATCH = 50_000
LOANS_PER_CUSTOMER = Decimal("1.1")
SHANGHAI = ZoneInfo("Asia/Shanghai")
PIPELINE = (
    (Status.DRAFT, 2), (Status.SUBMITTED, 3), (Status.SURVEYING, 3), (Status.REVIEWING, 4),
    (Status.APPROVING, 3), (Status.RETURNED, 1),
)  # fmt: skip
PURPOSES = {
    "CONSUMER": ("装修", "购买家电", "教育支出", "旅游"),
    "BUSINESS": ("购进货物", "店铺周转", "添置设备"),
    "AUTO": ("购买自用汽车",),
    "HOUSING": ("购买首套住房", "购买改善型住房"),
}
BIG_TABLES = (
    Customer, LoanApplication, LoanAccount, Installment, Repayment, RepaymentAllocation,
    Dossier, ArchiveItem, CustodyEvent,
)  # fmt: skip


@dataclass
class Staff:
    officers: list[int]
    investigator: int
    supervisor: int
    archivist: int


def generate(*, accounts: int, seed: int, as_of: date, log=print) -> dict:
    if connection.vendor != "postgresql":
        raise DomainError("generate_portfolio bulk-loads with COPY and needs PostgreSQL.")
    if accounts < 1:
        raise DomainError("--accounts must be at least 1.")
    if LoanAccount.objects.exists():
        raise DomainError("The book already holds loan accounts: run on an empty database.")
    started = time.monotonic()
    staff = _staff(accounts)
    with transaction.atomic():
        execute("SET LOCAL maintenance_work_mem = '1GB'")
        execute("SET LOCAL synchronous_commit = off")
        with without_indexes(*BIG_TABLES):
            counts = _load(accounts, seed, as_of, staff, log)
            log(f"rebuilding indexes and constraints ({time.monotonic() - started:.0f} s)")
        for model in (*BIG_TABLES, NumberSequence):
            reset_sequence(model)
    # As after any bulk load: statistics for the planner, and the pages' hint bits and
    # visibility set once now rather than by the first queries that read them.
    if not connection.in_atomic_block:
        execute("VACUUM (ANALYZE)")
    else:  # inside a test's transaction, where VACUUM cannot run
        execute("ANALYZE")
    log(f"loaded in {time.monotonic() - started:.0f} s; sweeping {as_of:%Y-%m-%d}")
    run = run_sweep(business_date=as_of)
    execute("ANALYZE")  # the sweep has just opened the cases and the post-loan checks
    counts["sweep"] = run.figures
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def _staff(accounts: int) -> Staff:
    seed_staff(settings.DEMO_PASSWORD)
    User = get_user_model()
    password = make_password(settings.DEMO_PASSWORD)
    extra = {
        roles.LOAN_OFFICER: [f"officer{n:04d}" for n in range(1, _officers(accounts) + 1)],
        roles.COLLECTIONS_OFFICER: [
            f"collector{n:02d}" for n in range(1, max(2, min(50, accounts // 20_000)) + 1)
        ],
    }
    for role, usernames in extra.items():
        User.objects.bulk_create(
            [User(username=name, last_name="员", first_name=name, password=password)
             for name in usernames],
            ignore_conflicts=True,
        )  # fmt: skip
        group = Group.objects.get(name=role)
        group.user_set.add(*User.objects.filter(username__in=usernames))
    ids = dict(User.objects.values_list("username", "pk"))
    return Staff(
        officers=[ids[name] for name in extra[roles.LOAN_OFFICER]],
        investigator=ids[roles.INVESTIGATOR],
        supervisor=ids[roles.DISBURSEMENT_SUPERVISOR],
        archivist=ids[roles.ARCHIVIST],
    )


def _officers(accounts: int) -> int:
    return max(2, min(200, accounts // 5000))


def _load(accounts, seed, as_of, staff, log) -> dict:
    """Python plans each batch of loans (in a thread) while the database writes the batch
    before: COPY of its rows, then its installments, repayments and allocations in one
    statement. The database releases the interpreter while it works, so the two overlap."""
    products = {product.code: product for product in LoanProduct.objects.all()}
    lpr = {tenor: LoanPrimeRate.current(tenor, on=as_of).rate for tenor in ("1y", "5y")}
    writer = _Writer(accounts, staff, products, as_of)
    schedules = _Schedules()
    batches = queue.Queue(maxsize=2)
    planner = threading.Thread(
        target=_plan_batches, args=(writer, accounts, seed, lpr, batches), daemon=True
    )
    planner.start()
    while (batch := batches.get()) is not None:
        if isinstance(batch, BaseException):
            raise batch
        writer.copy(batch)
        schedules.write(batch)
        log(f"  {batch.end:,} loans written")
    planner.join()
    writer.write_pipeline(random.Random(seed + 1), max(30, accounts // 500))  # noqa: S311
    counts = {
        "customers": writer.customers,
        "accounts": accounts,
        "templates": schedules.templates,
        "installments": schedules.installments,
        "repayments": schedules.repayments,
    }
    counts.update(_archive(writer))
    log(f"  {counts['installments']:,} installments, {counts['repayments']:,} repayments, "
        f"{counts['archive_items']:,} archive items")  # fmt: skip
    writer.save_sequences()
    return counts


def _plan_batches(writer, accounts, seed, lpr, batches) -> None:
    try:
        rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
        templates = Templates()
        for start in range(0, accounts, BATCH):
            known = len(templates.by_key)
            loans = [
                plan_loan(rng, as_of=writer.as_of, lpr=lpr, templates=templates,
                          products=writer.products)
                for _ in range(start, min(accounts, start + BATCH))
            ]  # fmt: skip
            new_templates = list(templates.by_key.values())[known:]
            batches.put(writer.plan_batch(start, loans, new_templates, rng))
        batches.put(None)
    except BaseException as error:  # handed to the main thread, which raises it
        batches.put(error)


class _Writer:
    """Rows of customers, dossiers, applications and accounts, with their own ids."""

    def __init__(self, accounts, staff, products, as_of):
        self.staff, self.products, self.as_of = staff, products, as_of
        self.customers = max(1, int(accounts / LOANS_PER_CUSTOMER))
        self.base = {
            model: next_id(model) for model in (Customer, LoanApplication, LoanAccount, Dossier)
        }
        self.sequences = Counter()
        self.accounts = accounts
        self.customer = Copier(Customer, [
            "id", "name", "id_number", "birth_date", "sex", "mobile", "address", "employer",
            "employment_years", "monthly_income", "marital_status", "housing_status", "officer",
            "created_at",
        ])  # fmt: skip
        self.dossier = Copier(Dossier, ["id", "customer", "number", "created_at"])
        self.application = Copier(LoanApplication, [
            "id", "number", "customer", "product", "officer", "investigator", "amount",
            "term_months", "rate_spread_bp", "lpr_rate", "annual_rate", "purpose",
            "repayment_method", "security_type", "status", "onsite_survey_required",
            "submitted_at", "decided_at", "created_at", "updated_at",
        ])  # fmt: skip
        self.account = Copier(LoanAccount, [
            "id", "number", "application", "customer", "product", "officer", "principal",
            "annual_rate", "penalty_uplift_percent", "repayment_method", "term_months",
            "value_date", "maturity_date", "principal_outstanding", "repayment_account", "status",
            "disbursed_by", "disbursed_at", "settled_on",
        ])  # fmt: skip

    def number(self, prefix: str) -> str:
        self.sequences[prefix] += 1
        return f"{prefix}{self.sequences[prefix]:06d}"

    def plan_batch(self, start: int, loans: list[Loan], new_templates, rng) -> _Batch:
        """The batch's rows as COPY text (built in the planning thread)."""
        customers, dossiers, applications, accounts, plan = [], [], [], [], []
        for offset, loan in enumerate(loans):
            index = start + offset
            customer = index % self.customers
            customer_id = self.base[Customer] + customer
            officer = self.staff.officers[customer % len(self.staff.officers)]
            opened = _at(loan.value_date - timedelta(days=21))
            if index < self.customers:  # the customer's first loan
                customers.append(self._customer_row(customer, customer_id, officer, opened, rng))
                dossiers.append((self.base[Dossier] + customer, customer_id,
                                 self.number(f"DA{opened.year}"), opened))  # fmt: skip
            application_id = self.base[LoanApplication] + index
            applications.append(
                self._application_row(application_id, customer_id, officer, loan, rng)
            )
            account_id = self.base[LoanAccount] + index
            accounts.append(self._account_row(account_id, application_id, customer_id, officer,
                                              loan))  # fmt: skip
            plan.append((account_id, loan.template.id, loan.value_date, loan.paid_through))
        templates = [
            (template.id, period, offset, principal, interest)
            for template in new_templates
            for period, offset, principal, interest, _balance in template.rows
        ]
        return _Batch(
            end=start + len(loans),
            texts=[
                (self.customer, self.customer.text(customers)),
                (self.dossier, self.dossier.text(dossiers)),
                (self.application, self.application.text(applications)),
                (self.account, self.account.text(accounts)),
            ],
            templates=copy_text(templates),
            plan=copy_text(plan),
            template_count=len(new_templates),
        )

    def copy(self, batch: _Batch) -> None:
        for copier, text in batch.texts:
            copier.copy(text)

    def _customer_row(self, index, customer_id, officer, opened, rng):
        number = people.id_number(index)
        born, sex = people.birth_date_and_sex(number)
        return (
            customer_id, people.name(rng), number, born, sex, people.mobile(rng),
            people.address(rng), people.employer(rng), rng.randint(0, 20),
            Decimal(rng.randrange(4000, 60000, 500)), pick(rng, [("married", 6), ("single", 3),
            ("divorced", 1)]), pick(rng, [("own", 4), ("mortgaged", 3), ("rent", 2),
            ("family", 1)]), officer, opened,
        )  # fmt: skip

    def _application_row(self, application_id, customer_id, officer, loan: Loan, rng):
        product = self.products[loan.product]
        lpr = loan.rate - Decimal(loan.spread_bp) / 100
        return (
            application_id, self.number(f"GD{loan.value_date.year}"), customer_id,
            product.pk, officer, self.staff.investigator, Decimal(loan.amount), loan.months,
            loan.spread_bp, lpr, loan.rate, rng.choice(PURPOSES[loan.product]), loan.method,
            loan.security, Status.DISBURSED, product.category == "business",
            _at(loan.value_date - timedelta(days=20)), _at(loan.value_date - timedelta(days=7)),
            _at(loan.value_date - timedelta(days=21)), _at(loan.value_date),
        )  # fmt: skip

    def _account_row(self, account_id, application_id, customer_id, officer, loan: Loan):
        product = self.products[loan.product]
        return (
            account_id, self.number(f"JJ{loan.value_date.year}"), application_id, customer_id,
            product.pk, officer, Decimal(loan.amount), loan.rate, product.penalty_uplift_percent,
            loan.method, loan.months, loan.value_date, loan.maturity_date,
            loan.principal_outstanding, f"6217{account_id:015d}",
            "settled" if loan.settled else "active", self.staff.supervisor,
            _at(loan.value_date, clock(10)), loan.maturity_date if loan.settled else None,
        )  # fmt: skip

    def write_pipeline(self, rng, count: int) -> None:
        """Applications still on their way, for the queues."""
        rows = []
        first = self.base[LoanApplication] + self.accounts
        lpr = LoanPrimeRate.current("1y", on=self.as_of).rate
        consumer = self.products["CONSUMER"]
        for n in range(count):
            customer = rng.randrange(self.customers)
            created = _at(self.as_of - timedelta(days=rng.randint(0, 20)))
            status = pick(rng, PIPELINE)
            submitted = None if status == Status.DRAFT else created + timedelta(hours=2)
            rows.append((
                first + n, self.number(f"GD{self.as_of.year}"), self.base[Customer] + customer,
                consumer.pk, self.staff.officers[customer % len(self.staff.officers)],
                None, Decimal(rng.randrange(20, 300) * 1000), 24, 100, lpr,
                lpr + 1, "装修", "equal_installment", "credit", status, None, submitted, None,
                created, created,
            ))  # fmt: skip
        self.application.copy(self.application.text(rows))

    def save_sequences(self) -> None:
        for prefix, last in self.sequences.items():
            sequence, _created = NumberSequence.objects.get_or_create(prefix=prefix)
            NumberSequence.objects.filter(pk=sequence.pk).update(last_value=max(
                sequence.last_value, last))  # fmt: skip


def _at(day: date, at: clock = clock(9, 30)) -> datetime:
    return datetime.combine(day, at, tzinfo=SHANGHAI)


@dataclass
class _Batch:
    end: int
    texts: list  # (Copier, COPY text) for customers, dossiers, applications, accounts
    templates: str  # the schedule templates first used in this batch
    plan: str  # (account id, template id, value date, paid through) per loan
    template_count: int


class _Schedules:
    """Every installment from its schedule template; a repayment and its allocation for each one
    paid (an automatic debit on the due date). A repayment takes its installment's id (offset
    past any existing repayments), so that the allocation names both without reading back."""

    def __init__(self):
        execute("""
            CREATE TEMP TABLE gen_template (
                template_id int, period int, month_offset int, principal numeric,
                interest numeric
            ) ON COMMIT DROP
        """)
        execute("""
            CREATE TEMP TABLE gen_plan (
                account_id bigint, template_id int, value_date date, paid_through int
            ) ON COMMIT DROP
        """)
        self.offset = next_id(Repayment) - next_id(Installment)
        self.templates = self.installments = self.repayments = 0

    def write(self, batch: _Batch) -> None:
        copy_plain("gen_template", batch.templates)
        execute("TRUNCATE gen_plan")
        copy_plain("gen_plan", batch.plan)
        if batch.template_count:
            execute("ANALYZE gen_template")
        due = "(p.value_date + make_interval(months => t.month_offset))::date"
        paid = "t.period <= p.paid_through"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH installment AS (
                    INSERT INTO loans_installment (account_id, period, due_date, principal_due,
                        interest_due, penalty_due, principal_paid, interest_paid, penalty_paid,
                        paid_off_on, principal_days, interest_days, accrued_through)
                    SELECT p.account_id, t.period, {due}, t.principal, t.interest, 0,
                           CASE WHEN {paid} THEN t.principal ELSE 0 END,
                           CASE WHEN {paid} THEN t.interest ELSE 0 END, 0,
                           CASE WHEN {paid} THEN {due} END, 0, 0, NULL
                    FROM gen_plan p JOIN gen_template t ON t.template_id = p.template_id
                    RETURNING id, account_id, period, principal_paid, interest_paid, paid_off_on
                ), repayment AS (
                    INSERT INTO loans_repayment (id, account_id, amount, paid_on, channel,
                        reference, penalty_part, interest_part, principal_part, posted_by_id,
                        posted_at)
                    SELECT id + %s, account_id, principal_paid + interest_paid, paid_off_on,
                           'auto_debit', 'AD' || account_id || '-' || period, 0, interest_paid,
                           principal_paid, NULL, paid_off_on + time '10:00'
                    FROM installment WHERE paid_off_on IS NOT NULL
                    RETURNING 1
                ), allocation AS (
                    INSERT INTO loans_repaymentallocation (repayment_id, installment_id,
                        penalty, interest, principal)
                    SELECT id + %s, id, 0, interest_paid, principal_paid
                    FROM installment WHERE paid_off_on IS NOT NULL
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM installment), (SELECT count(*) FROM repayment),
                       (SELECT count(*) FROM allocation)
                """,  # noqa: S608
                [self.offset, self.offset],
            )
            installments, repayments, _allocations = cursor.fetchone()
        self.templates += batch.template_count
        self.installments += installments
        self.repayments += repayments


def _archive(writer: _Writer) -> dict:
    """Each loan's approval sheet and IOU, received onto a shelf of the customer's dossier."""
    first_item = next_id(ArchiveItem)
    first_account = writer.base[LoanAccount]
    items = execute(
        """
        INSERT INTO archive_archiveitem (dossier_id, number, category, title, is_original, pages,
            is_vital, application_id, account_id, source, status, room, cabinet, shelf, box,
            custodian_id, expected_since, received_at, retain_until, gone_reason)
        SELECT d.id, d.number || lpad((2 * a.n - 1 + k.k)::text, 4, '0'), k.category,
               k.title || ' ' || CASE WHEN k.k = 0 THEN ap.number ELSE a.number END, true,
               k.pages, false, a.application_id, CASE WHEN k.k = 1 THEN a.id END,
               k.source || CASE WHEN k.k = 0 THEN a.application_id ELSE a.id END, 'in_custody',
               '一号库房', 'G' || lpad((d.id / 5000 + 1)::text, 3, '0'),
               lpad((mod(d.id / 100, 50) + 1)::text, 2, '0'),
               lpad((mod(d.id, 100) + 1)::text, 3, '0'),
               %s, a.disbursed_at, a.disbursed_at + interval '3 days', NULL, ''
        FROM (
            SELECT id, number, customer_id, application_id, disbursed_at,
                   row_number() OVER (PARTITION BY customer_id ORDER BY id) AS n
            FROM loans_loanaccount WHERE id >= %s
        ) AS a
        JOIN archive_dossier d ON d.customer_id = a.customer_id
        JOIN applications_loanapplication ap ON ap.id = a.application_id
        CROSS JOIN (VALUES (0, 'survey_approval', '审批表', 'approval:', 2),
                           (1, 'accounting', '借款借据', 'iou:', 1))
            AS k(k, category, title, source, pages)
        """,
        [writer.staff.archivist, first_account],
    )
    execute(
        """
        INSERT INTO archive_custodyevent (item_id, kind, at, by_id, second_by_id, location, note)
        SELECT id, 'received', received_at, custodian_id, NULL,
               room || ' ' || cabinet || '-' || shelf || '-' || box, ''
        FROM archive_archiveitem WHERE id >= %s
        """,
        [first_item],
    )
    return {"archive_items": items}
