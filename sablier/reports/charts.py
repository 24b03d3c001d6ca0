"""Charts as SVG strings, shown inline on dashboards and embedded as vectors in the PDF; pure.

Only rect, line, polyline and text: what browsers and fpdf2's SVG reader both draw the same."""

from __future__ import annotations

from html import escape

WIDTH = 640
FONT = 'font-family="DejaVu Sans, sans-serif"'
COLOURS = ("#2f6690", "#d1495b", "#edae49", "#3a7d44", "#7d5ba6", "#66a182", "#8d6a9f", "#c97c5d")
SENTIMENT_COLOURS = {"negative": "#d1495b", "neutral": "#9aa5b1", "positive": "#3a7d44"}
LABEL_WIDTH = 190
ROW = 24


def _svg(height: int, body: list[str], title: str) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">'
    )
    heading = _text(0, 16, title, size=14, weight="bold")
    return "".join([head, heading, *body, "</svg>"])


def _text(x: float, y: float, text: str, size: int = 11, anchor: str = "start", weight: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" {FONT}{bold} fill="#222" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, colour: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{colour}"/>'


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") if value == int(value) else f"{value:,.1f}".replace(",", " ")


def bar_chart(title: str, items: list[tuple[str, float]], suffix: str = "", empty: str = "—") -> str:
    """Horizontal bars, one row per item, the value written after the bar."""
    top = 28
    body: list[str] = []
    if not items:
        return _svg(top + ROW, [_text(0, top + 14, empty)], title)
    top_value = max((value for _, value in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 70
    for i, (label, value) in enumerate(items):
        y = top + i * ROW
        body.append(_text(LABEL_WIDTH - 8, y + 14, label, anchor="end"))
        body.append(_rect(LABEL_WIDTH, y + 3, span * value / top_value, ROW - 8, COLOURS[0]))
        body.append(_text(LABEL_WIDTH + span * value / top_value + 6, y + 14, _number(value) + suffix))
    return _svg(top + len(items) * ROW + 4, body, title)


def paired_bars(
    title: str, rows: list[tuple[str, float, float, str]], names: tuple[str, str], empty: str = "—"
) -> str:
    """Two bars a row (e.g. target and actual, budget and spend), scaled within the row; the text of
    the row (e.g. "60 → 42 min") is written beside them."""
    top, row = 44, 2 * ROW
    body = [_rect(0, 24, 10, 10, COLOURS[0]), _text(14, 33, names[0])]
    body += [_rect(150, 24, 10, 10, COLOURS[2]), _text(164, 33, names[1])]
    span = WIDTH - LABEL_WIDTH - 150
    if not rows:
        return _svg(top + ROW, [_text(0, top + 14, empty)], title)
    for i, (label, first, second, text) in enumerate(rows):
        y = top + i * row
        scale = span / (max(first, second) or 1)
        body.append(_text(LABEL_WIDTH - 8, y + 18, label, anchor="end"))
        body.append(_rect(LABEL_WIDTH, y + 2, first * scale, ROW - 8, COLOURS[0]))
        body.append(_rect(LABEL_WIDTH, y + ROW - 4, second * scale, ROW - 8, COLOURS[2]))
        body.append(_text(LABEL_WIDTH + span + 8, y + 18, text))
    return _svg(top + max(len(rows), 1) * row, body, title)


def line_chart(title: str, x_labels: list[str], series: list[tuple[str, str, list[int]]]) -> str:
    """One polyline per series (name, colour, values), a legend on top, a few x labels below."""
    left, top, height = 40, 48, 160
    span = WIDTH - left - 10
    top_value = max((v for _, _, values in series for v in values), default=0) or 1
    body = [f'<line x1="{left}" y1="{top + height}" x2="{WIDTH - 10}" y2="{top + height}" stroke="#888"/>']
    body += [
        _text(left - 6, top + 4, _number(top_value), anchor="end"),
        _text(left - 6, top + height, "0", anchor="end"),
    ]
    for i, (name, colour, _) in enumerate(series):
        body += [_rect(left + i * 130, 24, 10, 10, colour), _text(left + i * 130 + 14, 33, name)]
    step = span / max(len(x_labels) - 1, 1)
    for _, colour, values in series:
        points = " ".join(
            f"{left + i * step:.1f},{top + height - height * v / top_value:.1f}" for i, v in enumerate(values)
        )
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
    every = max(1, len(x_labels) // 8)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            body.append(_text(left + i * step, top + height + 16, label, size=10, anchor="middle"))
    return _svg(top + height + 24, body, title)
