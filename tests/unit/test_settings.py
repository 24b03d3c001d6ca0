import pytest

from sablier.errors import ConfigurationError
from sablier.settings import load_settings


@pytest.fixture(autouse=True)
def data_dir(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SABLIER_DATA_DIR", str(tmp_path))


def test_it_generates_and_keeps_a_secret_key() -> None:
    assert load_settings().secret_key == load_settings().secret_key


def test_it_reads_a_secret_from_a_file(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = f"{tmp_path}/key"
    with open(secret, "w") as handle:
        handle.write("from-a-file\n")
    monkeypatch.setenv("SABLIER_SECRET_KEY_FILE", secret)
    assert load_settings().secret_key == "from-a-file"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SABLIER_DATABASE_URL", "mysql://root@localhost/x"),
        ("SABLIER_LANGUAGES", "fr,klingon"),
        ("SABLIER_DEBUG", "maybe"),
        ("SABLIER_ORGANISATION_FILE", "/no/such/file.yaml"),
        ("SABLIER_NATS_URL", "http://127.0.0.1:4222"),
        ("SABLIER_INGEST_BOUND", "lots"),
        ("SABLIER_CLAIM_LEASE_SECONDS", "0"),
    ],
)
def test_it_fails_loudly_naming_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        load_settings()
