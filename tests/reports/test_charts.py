"""The SVG charts: well-formed XML with escaped labels, their values, a fixed viewBox."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [node.text for node in ET.fromstring(svg).iter(f"{SVG}text")]


def test_a_bar_chart_parses_as_xml_and_holds_its_labels_and_values():
    svg = charts.bar_chart(
        "五级分类", [("正常", Decimal("1000000.00")), ("关注", 35000)], unit="元"
    )
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 640 320"
    assert "Noto Sans CJK SC" in root.get("font-family")
    assert root.find(f"{SVG}title").text == "五级分类"
    assert {"五级分类", "正常", "关注", "1,000,000元", "35,000元"} <= set(texts(svg))
    assert len(root.findall(f"{SVG}rect")) == 2


def test_chart_text_is_escaped():
    svg = charts.bar_chart("<script>&", [('a"<b>', 1)])
    assert "<script>" not in svg
    assert ET.fromstring(svg).get("aria-label") == "<script>&"
    assert 'a"<b>' in texts(svg)


def test_a_line_chart_draws_one_line_per_series_with_percent_values():
    svg = charts.line_chart(
        "逾期率",
        {
            "逾期率": [("2026-01", Decimal("3.75")), ("2026-02", Decimal("2.1"))],
            "不良率": [("2026-01", Decimal("1.2")), ("2026-02", None)],
        },
    )
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}polyline")) == 1  # the NPL series has one point only
    assert len(root.findall(f"{SVG}circle")) == 3
    assert {"3.75%", "2.10%", "1.20%", "2026-01", "2026-02", "逾期率", "不良率"} <= set(texts(svg))


def test_grouped_and_stacked_bars_hold_every_series():
    series = {"户数": [("M1", 2), ("M2", 1)], "笔数": [("M1", 3)]}
    grouped = ET.fromstring(charts.grouped_bar_chart("分组", series))
    stacked = ET.fromstring(charts.stacked_bar_chart("堆叠", series))
    assert len(grouped.findall(f"{SVG}rect")) == 3 + 2  # bars and legend keys
    assert len(stacked.findall(f"{SVG}rect")) == 3 + 2
    assert "5" in texts(charts.stacked_bar_chart("堆叠", series))  # the M1 total


def test_empty_charts_still_draw():
    for svg in (charts.bar_chart("空", []), charts.line_chart("空", {})):
        assert ET.fromstring(svg).find(f"{SVG}title").text == "空"


def test_values_are_formatted_for_the_tables_too():
    assert charts.format_value(Decimal("1234.5")) == "1,234.50"
    assert charts.format_value(3, "%") == "3.00%"
    assert charts.format_value(None) == "—"
