"""Reports that write themselves: `sablier report` as PDF (its pages turned to images by pdftoppm,
which must not be blank) and as HTML, in French and English."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from sablier.cli import main
from tests.conftest import ApiClient
from tests.stack.test_reports_kpis import october

__all__ = ["october"]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing: `make test` installs it"
)


def inked_share(page: Path) -> float:
    """The share of pixels that are not white."""
    image = Image.open(page).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[250:]) / (image.width * image.height)


@needs_poppler
def test_it_writes_a_french_pdf_whose_pages_are_not_blank(october: None, tmp_path: Path) -> None:
    output = tmp_path / "rapport.pdf"
    args = ["report", "--period", "2026-10", "--lang", "fr", "--format", "pdf", "--output", str(output)]
    assert main([*args, "--department", "customer-service"]) == 0
    assert output.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(output), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    shares = [inked_share(page) for page in pages]
    assert min(shares) > 0.001 and shares[0] > 0.05, shares  # text on every page; charts or tables first
    text = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True, check=True).stdout
    assert "Rapport mensuel — Service à la clientèle" in text
    assert "Chiffres clés" in text and "Première réponse médiane" in text


def test_it_gives_a_one_person_organisation_its_board_report_in_one_command(
    october: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "board.html"
    assert main(["report", "--period", "2026-10", "--format", "html", "--output", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert "Monthly report — Whole organisation" in html and "Key figures" in html
    assert html.count("<svg") == 7 and "Volume by intent" in html
    assert capsys.readouterr().out.strip() == str(output)


def test_it_writes_the_french_html_report_through_the_api(october: None, api: ApiClient) -> None:
    answer = api.get("/api/reports/report", period="2026-W44", department="customer-service", lang="fr")
    html = answer.content.decode()
    assert answer.status_code == 200 and "Rapport hebdomadaire" in html and "Objectifs" in html
    pdf = api.get("/api/reports/report", period="2026-10", lang="en", format="pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_names_a_wrong_period_or_department(
    organisation: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--period", "octobre", "--output", str(tmp_path / "x.pdf")]) == 2
    assert main(["report", "--period", "2026-10", "--department", "sales"]) == 2
    assert "2026-W44" in capsys.readouterr().err
