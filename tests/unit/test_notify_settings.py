"""The notification settings: SMTP URL and the Matrix bot, read once, failing loudly."""

from __future__ import annotations

import pytest

from sablier.errors import ConfigurationError
from sablier.settings import MatrixAccount, SmtpServer, load_settings


@pytest.fixture(autouse=True)
def data_dir(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SABLIER_DATA_DIR", str(tmp_path))


def test_it_reads_an_smtp_url_with_starttls_and_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SABLIER_SMTP_URL", "smtp+starttls://hub%40org:p%40ss@mail.example.org")
    assert load_settings().smtp == SmtpServer("mail.example.org", 587, "hub@org", "p@ss", "starttls")


def test_it_reads_the_matrix_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SABLIER_MATRIX_HOMESERVER", "https://matrix.example.org/")
    monkeypatch.setenv("SABLIER_MATRIX_USER", "@sablier:example.org")
    monkeypatch.setenv("SABLIER_MATRIX_TOKEN", "syt_token")
    assert load_settings().matrix == MatrixAccount(
        "https://matrix.example.org", "@sablier:example.org", "", "syt_token"
    )


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("SABLIER_SMTP_URL", "http://mail.example.org", "SABLIER_SMTP_URL"),
        ("SABLIER_MATRIX_HOMESERVER", "https://matrix.example.org", "SABLIER_MATRIX_USER"),
        ("SABLIER_MATRIX_HOMESERVER", "matrix.example.org", "SABLIER_MATRIX_HOMESERVER"),
    ],
)
def test_it_fails_loudly_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=named):
        load_settings()
