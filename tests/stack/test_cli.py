"""The sablier command line, in-process against the test database."""

from __future__ import annotations

from pathlib import Path

import pytest

from sablier.cli import main
from sablier.listen.models import Mention
from sablier.organisation.models import ApiToken
from sablier.organisation.models.token import token_digest

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_it_imports_jsonl_and_reports_every_rejected_line(
    organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(FIXTURES / "mixed.jsonl")]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "2 new, 1 duplicate, 2 rejected"
    assert "line 3: rejected: network:" in err and "line 4: rejected: not valid JSON" in err


def test_it_imports_the_customer_support_on_twitter_format_with_threads(
    organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(FIXTURES / "twcs.csv")])
    assert capsys.readouterr().out.strip() == "4 new, 0 duplicate, 1 rejected"
    thread = Mention.objects.get(external_id="500").case.mentions.order_by("created_at")
    assert [(m.external_id, m.direction) for m in thread] == [
        ("500", "inbound"),
        ("501", "outbound"),
        ("502", "inbound"),
    ]


def test_it_says_how_to_fix_a_missing_file(organisation: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "/nonexistent.jsonl"]) == 2
    assert "give a .jsonl or .csv file" in capsys.readouterr().err


def test_it_creates_a_token_and_prints_only_the_token(
    admin: object, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "--user", "boss"]) == 0
    token = capsys.readouterr().out.strip()
    assert "\n" not in token and ApiToken.objects.filter(digest=token_digest(token)).exists()


def test_it_refuses_a_token_for_an_unknown_user(
    organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "--user", "ghost"]) == 2
    assert "no user named 'ghost'" in capsys.readouterr().err


def test_it_creates_a_user_and_refuses_an_unknown_department(
    organisation: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "create", "zoe", "--department", "hr"]) == 0
    assert main(["user", "create", "zed", "--department", "astrology"]) == 2
    assert "use one of central" in capsys.readouterr().err


def test_it_drains_the_worker_once(organisation: None, capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", str(FIXTURES / "mixed.jsonl")])
    assert main(["worker", "--once"]) == 0
    assert "6 items processed" in capsys.readouterr().err  # 2 read, 2 triaged, 2 refined
