"""The default application scorecard (version 1), seeded by a migration and versioned in the
admin. Tests seed the same data after a database flush.

Totals run from 290 to 855 points. A typical good borrower (38, income 30,000, PTI 15%, five
years with the employer, married, mortgaged home, never overdue, mortgage at 62.5% LTV, not on
the warning list) scores 815 (A); a weak one (24, income 8,000, PTI 48%, new in the job,
single, renting, 45 days past due once, unsecured, once on the warning list) scores 430 (E).
"""

from decimal import Decimal

NAME = "个人贷款申请评分卡"

REASONING = "\n".join(
    [
        (
            "本评分卡用于个人贷款申请评分,共十项特征,各项得分相加为总分(约 290–855 分)"
            ",按分数段给出等级、建议结论、建议最高金额(年收入的倍数)和建议利率加点。评分只作参考,"
            "审查审批人员偏离建议时须书面说明理由。"
        ),
        "",
        (
            "1. 年龄:30–45 岁收入和家庭最稳定,得分最高(80);25 岁以下工作和收入尚未稳定,"
            "违约率较高(45);45–55 岁仍较稳定(70);55 岁以上临近退休,收入将下降,"
            "且贷款期限内健康风险上升,逐档减分(55、40)。"
        ),
        (
            "2. 月收入:收入越高,抗风险能力越强;5,000 元以下(30)、5,000–10,"
            "000(45)、10,000–20,000(60)、20,000–50,000(75)"
            "、50,000 以上(80)。收入未记录按最低档计。"
        ),
        (
            "3. 月供收入比(本笔贷款最高月供 ÷ 月收入):20% 以下还款压力很小(100)"
            ";20%–30%(85);30%–40%(70);超过 40% 后家庭日常开支和其他负债挤占还款来源,"
            "违约率明显上升(45);50% 及以上已超出产品上限(20)。收入未知按最高风险计。"
        ),
        (
            "4. 现单位工作年限:年限越长收入越稳定;不满 1 年(30)、1–3 年(45)"
            "、3–5 年(60)、5–10 年(75)、10 年以上(80)。"
        ),
        (
            "5. 婚姻状况:已婚家庭有共同还款来源、居住稳定(70);丧偶(55)、未婚(50)"
            "、离异(45)家庭负担和稳定性相对较弱。"
        ),
        (
            "6. 住房:自有住房无贷款最稳定(85);有按揭住房(75)说明已有还款记录但负担较重;"
            "与家人同住(55);租房流动性大(45);其他(40)。"
        ),
        (
            "7. 本行最长逾期天数:从未逾期(100);1–30 天多为疏忽(80);31–60 天(45)"
            ";61–90 天(20);90 天以上已属不良(0)。"
        ),
        (
            "8. 担保方式:抵押(90)和质押(85)有足值押品作第二还款来源;保证(65)"
            "依赖保证人能力;保证保险(60);纯信用(50)无第二还款来源。"
        ),
        (
            "9. 抵(质)押率:押品价值越充足,违约损失越小;50% 以下(90)、50%–60%(80)"
            "、60%–70%(70)、70%–80%(55)、80% 及以上(35);无押品(信用、"
            "保证)按 45 分计。"
        ),
        ("10. 信用预警名单记录(含已解除):从未列入(80);曾列入一次(30);两次及以上(0)。"),
        "",
        (
            "等级:A ≥ 720 建议同意,最高为年收入 10 倍,加点 0;B ≥ 650 建议同意,"
            "8 倍,加点 30bp;C ≥ 580 审慎审查,6 倍,加点 80bp;D ≥ 500 审慎审查,"
            "4 倍,加点 150bp;E 低于 500 建议拒绝,加点 300bp。"
        ),
        "",
    ]
)


def _numeric(*bins):
    """(min, max, points) triples: min inclusive, max exclusive, None for open."""
    return [{"min": low, "max": high, "points": points} for low, high, points in bins]


def _category(*bins):
    return [{"value": value, "points": points} for value, points in bins]


# (characteristic, bins, missing points), in display order
ROWS = [
    (
        "age",
        _numeric(
            (None, 25, 45), (25, 30, 60), (30, 45, 80), (45, 55, 70), (55, 60, 55), (60, None, 40)
        ),
        45,
    ),
    (
        "monthly_income",
        _numeric(
            (None, 5000, 30),
            (5000, 10000, 45),
            (10000, 20000, 60),
            (20000, 50000, 75),
            (50000, None, 80),
        ),
        30,
    ),
    (
        "payment_to_income",
        _numeric((None, 20, 100), (20, 30, 85), (30, 40, 70), (40, 50, 45), (50, None, 20)),
        20,
    ),
    (
        "employment_years",
        _numeric((None, 1, 30), (1, 3, 45), (3, 5, 60), (5, 10, 75), (10, None, 80)),
        30,
    ),
    (
        "marital_status",
        _category(("married", 70), ("widowed", 55), ("single", 50), ("divorced", 45)),
        45,
    ),
    (
        "housing_status",
        _category(("own", 85), ("mortgaged", 75), ("family", 55), ("rent", 45), ("other", 40)),
        40,
    ),
    (
        "overdue_history",
        _numeric((None, 1, 100), (1, 31, 80), (31, 61, 45), (61, 91, 20), (91, None, 0)),
        45,
    ),
    (
        "security_type",
        _category(
            ("mortgage", 90), ("pledge", 85), ("guarantee", 65), ("insurance", 60), ("credit", 50)
        ),
        50,
    ),
    (
        "loan_to_value",
        _numeric((None, 50, 90), (50, 60, 80), (60, 70, 70), (70, 80, 55), (80, None, 35)),
        45,
    ),
    (
        "warning_hits",
        _numeric((None, 1, 80), (1, 2, 30), (2, None, 0)),
        0,
    ),
]

# (grade, minimum score, suggested decision, maximum amount as a multiple of annual income,
# suggested spread over LPR in bp)
GRADES = [
    ("A", 720, "approve", Decimal("10"), 0),
    ("B", 650, "approve", Decimal("8"), 30),
    ("C", 580, "careful", Decimal("6"), 80),
    ("D", 500, "careful", Decimal("4"), 150),
    ("E", 0, "decline", Decimal("0"), 300),
]


def seed_default_scorecard(Scorecard, ScorecardRow, GradeBand):  # noqa: N803 (historical too)
    """Version 1 with its rows and bands, unless it exists; in use when no other version is."""
    if Scorecard.objects.filter(version=1).exists():
        return Scorecard.objects.get(version=1)
    scorecard = Scorecard.objects.create(
        version=1,
        name=NAME,
        reasoning=REASONING,
        is_active=not Scorecard.objects.filter(is_active=True).exists(),
    )
    for characteristic, bins, missing in ROWS:
        ScorecardRow.objects.create(
            scorecard=scorecard, characteristic=characteristic, bins=bins, missing_points=missing
        )
    for grade, min_score, decision, multiple, spread in GRADES:
        GradeBand.objects.create(
            scorecard=scorecard,
            grade=grade,
            min_score=min_score,
            decision=decision,
            max_income_multiple=multiple,
            spread_bp=spread,
        )
    return scorecard
