"""Made-up borrowers: Chinese names, valid resident identity card numbers, mobiles, addresses."""

from __future__ import annotations

from datetime import date, timedelta

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鹏辉建国志梅"
# Region codes (the first six digits) that python-stdnum's register knows for every birth year
# used here (districts of Beijing, Tianjin and Shanghai).
REGIONS = (
    "110101", "110102", "110103", "110104", "110105", "110106", "110107", "110108", "110109",
    "120101", "120102", "120103", "120104", "120105", "120106", "120107", "120108",
    "120109", "120110", "120111", "310101", "310102", "310103", "310104", "310105", "310106",
    "310107", "310108", "310109", "310110",
)  # fmt: skip
CITIES = (
    "北京市东城区", "上海市黄浦区", "南京市玄武区", "杭州市上城区", "济南市历下区",
    "郑州市中原区", "武汉市江岸区", "长沙市芙蓉区", "广州市荔湾区", "成都市锦江区",
)  # fmt: skip
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "胜利路", "长江路")
EMPLOYERS = (
    "市第一人民医院", "某某科技有限公司", "市实验中学", "某某建设集团", "个体经营",
    "某某商贸有限公司", "市供电公司", "某某物流有限公司",
)  # fmt: skip
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
BIRTH_FROM = date(1961, 1, 1)
BIRTH_DAYS = 365 * 40  # born 1961–2000: 25 to 65 years old


def id_number(index: int) -> str:
    """A distinct, valid 18-digit number for every index (region, birth date, sequence)."""
    index, region = divmod(index, len(REGIONS))
    sequence, day = divmod(index, BIRTH_DAYS)
    born = BIRTH_FROM + timedelta(days=day)
    body = f"{REGIONS[region]}{born:%Y%m%d}{sequence % 1000:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return body + CHECK_CHARS[total % 11]


def birth_date_and_sex(number: str) -> tuple[date, str]:
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return born, "M" if int(number[16]) % 2 else "F"


def name(rng) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(FAMILY) + given


def mobile(rng) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def address(rng) -> str:
    return f"{rng.choice(CITIES)}{rng.choice(STREETS)}{rng.randint(1, 999)}号"


def employer(rng) -> str:
    return rng.choice(EMPLOYERS)
