"""Charts drawn on the server as SVG markup, so the same picture goes on the dashboard and into
the PDF reports (WeasyPrint draws inline SVG). Every chart has a fixed viewBox, Chinese-capable
text (Noto Sans CJK SC), escaped labels, and a ``<title>`` for screen readers; the pages put the
figures in a table beside it.

- ``bar_chart(title, [(label, value), ...], unit="")``
- ``grouped_bar_chart(title, {series: [(label, value), ...]}, unit="")``
- ``stacked_bar_chart(title, {series: [(label, value), ...]}, unit="")``
- ``line_chart(title, {series: [(label, value), ...]}, unit="%")``

Values are numbers (Decimal, int) or ``None`` for "no figure"; nothing is drawn for ``None``.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 44, 56
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', sans-serif"
PALETTE = ("#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d")
TICKS = 4


def bar_chart(title: str, rows: list[tuple], *, unit: str = "") -> SafeString:
    """One bar per (label, value)."""
    return grouped_bar_chart(title, {"": rows}, unit=unit)


def grouped_bar_chart(title: str, series: dict[str, list[tuple]], *, unit: str = "") -> SafeString:
    """Bars side by side per label, one colour per series."""
    labels = _labels(series)
    values = [_number(v) for rows in series.values() for _label, v in rows]
    top = _nice_max(max([v for v in values if v is not None] + [0]))
    parts = _frame(title, top, unit)
    slot = _plot_width() / max(len(labels), 1)
    names = list(series)
    bar = slot * 0.7 / max(len(names), 1)
    for s, name in enumerate(names):
        by_label = {str(label): _number(value) for label, value in series[name]}
        for i, label in enumerate(labels):
            value = by_label.get(label)
            if value is None:
                continue
            x = LEFT + i * slot + slot * 0.15 + s * bar
            parts.append(_bar(x, bar, 0, value, top, PALETTE[s % len(PALETTE)]))
            if len(names) == 1 or len(labels) * len(names) <= 12:
                parts.append(_value_text(x + bar / 2, _y(value, top) - 4, value, unit))
    parts += _x_labels(labels, slot)
    if len(names) > 1 or names[0]:
        parts += _legend(names)
    return _svg(title, parts)


def stacked_bar_chart(title: str, series: dict[str, list[tuple]], *, unit: str = "") -> SafeString:
    """One bar per label, the series stacked on top of one another."""
    labels = _labels(series)
    totals = dict.fromkeys(labels, 0)
    for rows in series.values():
        for label, value in rows:
            totals[str(label)] += _number(value) or 0
    top = _nice_max(max(list(totals.values()) + [0]))
    parts = _frame(title, top, unit)
    slot = _plot_width() / max(len(labels), 1)
    base = dict.fromkeys(labels, 0)
    for s, (name, rows) in enumerate(series.items()):
        for label, value in rows:
            number, label = _number(value), str(label)
            if not number:
                continue
            x = LEFT + labels.index(label) * slot + slot * 0.2
            color = PALETTE[s % len(PALETTE)]
            parts.append(_bar(x, slot * 0.6, base[label], number, top, color, name=name))
            base[label] += number
    for i, label in enumerate(labels):
        x = LEFT + i * slot + slot / 2
        parts.append(_value_text(x, _y(totals[label], top) - 4, totals[label], unit))
    parts += _x_labels(labels, slot)
    parts += _legend(list(series))
    return _svg(title, parts)


def line_chart(title: str, series: dict[str, list[tuple]], *, unit: str = "%") -> SafeString:
    """One line per series over the labels (e.g. month ends), with a dot and value per point."""
    labels = _labels(series)
    values = [_number(v) for rows in series.values() for _label, v in rows]
    top = _nice_max(max([v for v in values if v is not None] + [0]))
    parts = _frame(title, top, unit)
    slot = _plot_width() / max(len(labels), 1)
    for s, rows in enumerate(series.values()):
        color = PALETTE[s % len(PALETTE)]
        points = []
        for label, value in rows:
            number = _number(value)
            if number is None:
                continue
            x = LEFT + labels.index(str(label)) * slot + slot / 2
            points.append((x, _y(number, top), number))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _n in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
        for x, y, number in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
            if len(labels) <= 12:
                parts.append(_value_text(x, y - 6, number, unit, size=10))
    parts += _x_labels(labels, slot)
    parts += _legend(list(series))
    return _svg(title, parts)


def format_value(value, unit: str = "") -> str:
    """A figure as the charts and tables write it: thousands separators, two decimals for
    non-integers, the unit after it."""
    number = _number(value)
    if number is None:
        return "—"
    if unit == "%":
        return f"{Decimal(number):,.2f}%"
    if isinstance(number, int) or number == number.to_integral_value():
        text = f"{int(number):,}"
    else:
        text = f"{number:,.2f}"
    return f"{text}{unit}"


# -- drawing helpers ---------------------------------------------------------------------------


def _number(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return Decimal(str(value))


def _labels(series: dict[str, list[tuple]]) -> list[str]:
    labels: list[str] = []
    for rows in series.values():
        for label, _value in rows:
            if str(label) not in labels:
                labels.append(str(label))
    return labels


def _nice_max(value) -> Decimal:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × a power of ten)."""
    value = Decimal(value)
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _plot_width() -> float:
    return WIDTH - LEFT - RIGHT


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def _y(value, top) -> float:
    return TOP + _plot_height() * (1 - float(Decimal(value) / Decimal(top)))


def _text(x, y, text, *, anchor="middle", size=11, weight="normal", color="#212529") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{color}">{escape(str(text))}</text>'
    )


def _value_text(x, y, value, unit, *, size=11) -> str:
    return _text(x, y, format_value(value, unit), size=size, color="#495057")


def _bar(x, width, base, value, top, color, *, name="") -> str:
    y_top, y_base = _y(Decimal(base) + Decimal(value), top), _y(base, top)
    tip = f"<title>{escape(str(name))}</title>" if name else ""
    return (
        f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{width:.1f}" '
        f'height="{max(y_base - y_top, 0):.1f}" fill="{color}">{tip}</rect>'
    )


def _frame(title: str, top, unit: str) -> list[str]:
    parts = [_text(WIDTH / 2, 22, title, size=15, weight="bold")]
    bottom = TOP + _plot_height()
    for i in range(TICKS + 1):
        tick = Decimal(top) * i / TICKS
        y = _y(tick, top)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, _axis_value(tick, unit), anchor="end", size=10))
    parts.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#6c757d"/>'
    )
    return parts


def _axis_value(value, unit: str) -> str:
    """A tick label, short enough for the margin: 万 (10⁴) and 亿 (10⁸) for large amounts."""
    value = Decimal(value)
    for size, suffix in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
        if abs(value) >= size:
            return f"{(value / size).normalize():f}{suffix}{'' if unit == '%' else unit}"
    if unit == "%":
        return f"{value.normalize():f}%"
    return format_value(value, unit)


def _x_labels(labels: list[str], slot: float) -> list[str]:
    size = 11 if len(labels) <= 8 else 9
    y = TOP + _plot_height() + 16
    return [
        _text(LEFT + i * slot + slot / 2, y, label, size=size) for i, label in enumerate(labels)
    ]


def _legend(names: list[str]) -> list[str]:
    parts, x, y = [], LEFT, HEIGHT - 12
    for s, name in enumerate(names):
        color = PALETTE[s % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(_text(x + 14, y, name, anchor="start", size=11))
        x += 28 + 12 * len(str(name))
    return parts


def _svg(title: str, parts: list[str]) -> SafeString:
    body = "".join(parts)
    return mark_safe(  # noqa: S308 - every text node and attribute above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label={quoteattr(str(title))} '
        f'font-family="{FONT}" class="lc-chart">'
        f"<title>{escape(str(title))}</title>{body}</svg>"
    )
