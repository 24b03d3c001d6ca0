"""The report as PDF (fpdf2): the same figures and the same SVG charts as the HTML, drawn as vectors."""

from __future__ import annotations

import io
from importlib.util import find_spec
from pathlib import Path

from django.utils import translation
from fpdf import FPDF

from sablier.reports.document import Report, Row
from sablier.reports.labels import HEADINGS

SYSTEM_FONTS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
LATIN1 = str.maketrans(
    {"—": "-", "\u2013": "-", "→": "->", "≤": "<=", "≥": ">=", "\u2019": "'", "œ": "oe", "€": "EUR"}
)
MM_PER_PX = 180 / 640  # charts are 640 px wide, drawn 180 mm wide


def _font_dir() -> Path | None:
    """DejaVu Sans for French and symbols: the system's, or matplotlib's copy when it is installed."""
    spec = find_spec("matplotlib")
    shipped = [Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"] if spec and spec.origin else []
    return next((d for d in [*SYSTEM_FONTS, *shipped] if (d / "DejaVuSans.ttf").is_file()), None)


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        fonts = _font_dir()
        self.family = "helvetica"
        if fonts is not None:
            self.add_font("DejaVu Sans", "", str(fonts / "DejaVuSans.ttf"))
            self.add_font("DejaVu Sans", "B", str(fonts / "DejaVuSans-Bold.ttf"))
            self.family = "DejaVu Sans"
        self.set_auto_page_break(auto=True, margin=15)

    def text_of(self, text: str) -> str:
        """Core fonts write Latin-1 only: without DejaVu, the rest is spelt out."""
        if self.family == "DejaVu Sans":
            return text
        return text.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font(self.family, "B", size)
        self.ln(2)
        self.multi_cell(0, 8, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)

    def line_of_text(self, text: str) -> None:
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5, self.text_of(text), new_x="LMARGIN", new_y="NEXT")

    def rows(self, header: tuple[str, ...], rows: tuple[Row, ...]) -> None:
        self.set_font(self.family, "", 9)
        with self.table(first_row_as_headings=True, line_height=6) as table:
            for cells in (header, *(row.cells for row in rows)):
                line = table.row()
                for cell in cells:
                    line.cell(self.text_of(cell))
        self.ln(2)

    def chart(self, svg: str) -> None:
        if self.family != "DejaVu Sans":
            svg = self.text_of(svg)
        height = float(svg.split('height="', 1)[1].split('"', 1)[0]) * MM_PER_PX
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()
        self.image(io.BytesIO(svg.encode("utf-8")), x=self.l_margin, y=self.get_y(), w=180)
        self.set_y(self.get_y() + height + 4)


def render_pdf(report: Report) -> bytes:
    with translation.override(report.language):
        h = {key: str(value) for key, value in HEADINGS.items()}
        pdf = _Pdf()
        pdf.set_title(f"{report.title} - {report.scope} - {report.period.slug}")
        pdf.add_page()
        pdf.heading(f"{report.title} — {report.scope}", 18)
        last_day = report.period.end.date().fromordinal(report.period.end.date().toordinal() - 1)
        pdf.line_of_text(f"{report.period.slug} ({report.period.start:%Y-%m-%d} \u2013 {last_day:%Y-%m-%d})")
        pdf.line_of_text(f"{h['generated']}: {report.generated_at:%Y-%m-%d %H:%M} UTC")
        pdf.heading(h["figures"])
        pdf.rows((h["figure"], h["value"]), report.figures)
        pdf.heading(h["objectives"])
        if report.objectives:
            pdf.rows((h["objectives"], h["target"], h["actual"], h["status"]), report.objectives)
        else:
            pdf.line_of_text(h["no_objectives"])
        pdf.heading(h["budget"])
        if report.spend:
            pdf.rows((h["item"], h["budget"], h["spend"]), report.spend)
        else:
            pdf.line_of_text(h["no_budget"])
        pdf.heading(h["charts"])
        for chart in report.charts:
            pdf.chart(chart.svg)
        pdf.heading(h["definitions"])
        for definition in report.definitions:
            pdf.line_of_text(f"- {definition}")
        return bytes(pdf.output())
