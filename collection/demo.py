"""Post-loan demo data: loans in every overdue bucket and five-level class, then tonight's sweep,
collection work on the cases it opens, an insurance claim, a lawsuit and a loan written off with
a recovery after it. Everything goes through the services, as staff would do it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.catalog import SecurityType
from loancenter import roles
from loans.demo import DemoLoan, seed_demo_loans
from loans.models import LoanAccount
from loans.sweep import catch_up
from review.demo import PDF_BYTES, DemoCustomer

from .models import CollectionCase, EvidenceKind, WriteOffGround
from .services import cases, claims, legal, recoveries, writeoff

# Valid 居民身份证 numbers (checked by stdnum in the tests), born 1978-1992.
LUO_JIANHUA = "110105197803125515"  # M1, special mention, a promise to pay
TANG_MEILING = "310104198611203529"  # M2, collections officer
QIAN_ZHIYONG = "110105198205175736"  # M3
FENG_XIAOLAN = "310104199002085947"  # M3+, substandard, insured: the insurance claim
DU_HAITAO = "110105197911305935"  # doubtful: the lawsuit
YAN_GUOQIANG = "310104198104127752"  # loss: written off, a recovery after it

CUSTOMERS = (
    DemoCustomer(
        "罗建华", LUO_JIANHUA, "13910286341", "北京市朝阳区团结湖路12号院3号楼506室",
        "北京华联商厦股份有限公司", 12, Decimal("18000"), "married",
    ),
    DemoCustomer(
        "唐美玲", TANG_MEILING, "13816270453", "上海市徐汇区漕溪北路595号1号楼1203室",
        "上海徐汇区中心医院", 9, Decimal("16000"), "married",
    ),
    DemoCustomer(
        "钱志勇", QIAN_ZHIYONG, "13701168275", "北京市朝阳区左家庄北里8号楼2单元401室",
        "北京志勇汽车维修服务部(个体工商户)", 10, Decimal("22000"), "married",
    ),
    DemoCustomer(
        "冯晓兰", FENG_XIAOLAN, "18917306628", "上海市徐汇区桂林路406号2号楼803室",
        "上海兰亭文化传播有限公司", 6, Decimal("15000"), "single",
    ),
    DemoCustomer(
        "杜海涛", DU_HAITAO, "13601337492", "北京市朝阳区安贞西里四区22号楼1102室",
        "北京海涛建材经营部(个体工商户)", 15, Decimal("26000"), "divorced",
    ),
    DemoCustomer(
        "严国强", YAN_GUOQIANG, "13564128803", "上海市徐汇区斜土路2601号嘉汇广场T1-1808室",
        "上海国强贸易有限公司(原法定代表人)", 14, Decimal("24000"), "married",
    ),
)  # fmt: skip


def _overdue_loan(customer, amount, purpose, days_past_due, account, **extra) -> DemoLoan:
    """A consumer loan whose first installment fell due ``days_past_due`` days ago, never paid."""
    return DemoLoan(
        customer,
        "CONSUMER",
        Decimal(amount),
        24,
        200,
        purpose,
        extra.pop("security_type", SecurityType.CREDIT),
        "disbursed",
        payment_mode="self",
        repayment_account=account,
        value_date_back=(1, days_past_due),
        paid_installments=0,
        **extra,
    )


LOANS = (
    _overdue_loan(LUO_JIANHUA, "60000", "家庭装修", 18, "6222020200112233445"),
    _overdue_loan(TANG_MEILING, "80000", "子女出国留学费用", 45, "6225881234567890"),
    _overdue_loan(QIAN_ZHIYONG, "100000", "购置家用电器及家具", 75, "6228480098765432101"),
    _overdue_loan(
        FENG_XIAOLAN, "90000", "个人进修及培训费用", 130, "6217001234000567890",
        security_type=SecurityType.INSURANCE,
        insurance=("中国人保财险上海市分公司", "PICC-2026-0088123", Decimal("95000")),
    ),
    _overdue_loan(DU_HAITAO, "120000", "家庭旅游及婚庆费用", 300, "6214839900112233"),
    _overdue_loan(YAN_GUOQIANG, "70000", "购买家用轿车配套装饰", 400, "6222600110099887766"),
)  # fmt: skip


def seed_post_loan_demo() -> None:
    """Loans in every bucket, then the sweep up to today, then the collection work on them."""
    created = seed_demo_loans(CUSTOMERS, LOANS)
    catch_up()  # tonight's sweep: statuses, penalties, classes, buckets, cases, checks
    if created:
        _work_the_cases(_staff())


def _staff() -> dict:
    User = get_user_model()
    codes = (roles.LOAN_OFFICER, roles.COLLECTIONS_OFFICER, roles.REVIEWER, roles.DIRECTOR)
    return {code: User.objects.get(username=code) for code in codes}


def _case(id_number: str) -> CollectionCase:
    account = LoanAccount.objects.get(customer__id_number=id_number)
    return account.collection_cases.get(status="open")


def _work_the_cases(staff) -> None:
    today = timezone.localdate()
    officer, collector = staff[roles.LOAN_OFFICER], staff[roles.COLLECTIONS_OFFICER]
    m1 = _case(LUO_JIANHUA)
    cases.record_action(
        case=m1, user=officer, kind="phone", result="本人接听,称单位工资延迟发放,承诺月底前归还。",
        next_action_on=today + timedelta(days=3),
    )  # fmt: skip
    cases.record_promise(
        case=m1, user=officer, amount=Decimal("3000.00"), promised_on=today + timedelta(days=7)
    )
    for id_number, kind, result in (
        (TANG_MEILING, "sms", "已发送逾期提醒短信,尚未回复。"),
        (QIAN_ZHIYONG, "visit", "上门未遇本人,已向其家属送达催收通知书。"),
    ):
        cases.record_action(
            case=_case(id_number), user=collector, kind=kind, result=result,
            next_action_on=today + timedelta(days=5),
        )  # fmt: skip
    insured = _case(FENG_XIAOLAN)
    claims.file_claim(case=insured, user=collector, amount=Decimal("60000.00"), claimed_on=today)
    sued = _case(DU_HAITAO)
    lawsuit = legal.file_lawsuit(
        case=sued, user=collector, court="北京市朝阳区人民法院",
        case_number=f"({today.year})京0105民初{sued.pk:05d}号", filed_on=today - timedelta(days=60),
        claim_amount=Decimal("120000.00"),
    )  # fmt: skip
    legal.record_judgment(
        lawsuit=lawsuit, user=collector, judged_on=today - timedelta(days=10),
        judgment="判决被告于判决生效后十日内归还借款本金、利息及罚息。",
    )  # fmt: skip
    _write_off(staff, _case(YAN_GUOQIANG))


def _write_off(staff, case) -> None:
    collector = staff[roles.COLLECTIONS_OFFICER]
    evidence = [
        (EvidenceKind.JUDGMENT, ContentFile(PDF_BYTES, name="民事判决书.pdf")),
        (EvidenceKind.ENFORCEMENT_RULING, ContentFile(PDF_BYTES, name="终结本次执行裁定书.pdf")),
    ]
    request = writeoff.request_write_off(
        case=case, user=collector, ground=WriteOffGround.ENFORCEMENT_ENDED,
        reason="借款人经营失败下落不明,经诉讼及强制执行无可供执行财产,法院裁定终结执行。",
        evidence=evidence,
    )  # fmt: skip
    writeoff.review_write_off(
        request=request, user=staff[roles.REVIEWER], agree=True,
        opinion="判决书及终结执行裁定齐全,符合核销条件。",
    )  # fmt: skip
    writeoff.decide_write_off(
        request=request, user=staff[roles.DIRECTOR], approve=True,
        opinion="同意核销,账销案存,继续追偿。",
    )  # fmt: skip
    recoveries.record_recovery(
        account=case.account, user=collector, amount=Decimal("2000.00"),
        received_on=timezone.localdate(), source="borrower", reference=f"ZS-{case.account.number}",
        note="借款人亲属代为偿还部分欠款。",
    )  # fmt: skip
