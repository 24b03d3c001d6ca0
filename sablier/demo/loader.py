"""The demo organisation: people in every department, a token, and the demo mentions."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from sablier.answer.posts import do_schedule_post
from sablier.connectors.csvimport.formats import Row
from sablier.connectors.csvimport.importer import ImportReport, import_rows
from sablier.listen.models import Mention
from sablier.organisation.models import ApiToken, Department, Membership
from sablier.organisation.models.token import token_digest
from sablier.organisation.tokens import do_create_token
from sablier.people.audience import import_audience
from sablier.people.identifiers import Identifier
from sablier.people.models import Handle
from sablier.people.policy import MARKETING

DEMO_CAMPAIGNS = (
    (
        "Renouvelez avec Horizon / Renew with Horizon",
        "Votre hypothèque arrive à échéance? Renouvelez avec Horizon et profitez d'un taux avantageux. / "
        "Is your mortgage up for renewal? Renew with Horizon at a great rate.",
        ("hypothèque", "mortgage", "renouvellement", "renewal"),
    ),
    (
        "La nouvelle appli Horizon / The new Horizon app",
        "Payez, virez, épargnez: tout est dans la nouvelle appli. / "
        "Pay, transfer, save: it's all in the new app.",
        ("application", "appli", "app", "carte", "card"),
    ),
)
# name: (department, role, training level)
DEMO_MEMBERS = {
    "camille": ("central", Membership.LEAD, "senior"),
    "samir": ("customer-service", Membership.LEAD, "senior"),
    "lea": ("tech-support", Membership.MEMBER, "enrolled"),
    "noah": ("marketing", Membership.MEMBER, "trainee"),
    "ines": ("pr", Membership.LEAD, "senior"),
    "julie": ("hr", Membership.LEAD, "senior"),
    "marc": ("legal", Membership.LEAD, "senior"),
}


def _user(username: str, password: str, superuser: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(username=username, password=password)
    return user


def _still_valid(saved: dict[str, str]) -> bool:
    """Saved credentials outlive a reset database; only reuse them when they still open the door."""
    admin = User.objects.filter(username=saved.get("username")).first()
    token_ok = ApiToken.objects.filter(user=admin, digest=token_digest(saved.get("token", ""))).exists()
    return admin is not None and admin.check_password(saved.get("password", "")) and token_ok


def do_create_demo_people(credentials_file: Path) -> dict[str, str]:
    """Create admin and one person per department once; later runs read the saved credentials."""
    if credentials_file.exists():
        saved: dict[str, str] = json.loads(credentials_file.read_text(encoding="utf-8"))
        if _still_valid(saved):
            return saved
    password = secrets.token_urlsafe(9)
    admin = _user("admin", password, superuser=True)
    admin.set_password(password)
    admin.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=admin, department=Department.objects.get(is_central=True), defaults={"role": Membership.LEAD}
    )
    for username, (slug, role, level) in DEMO_MEMBERS.items():
        Membership.objects.update_or_create(
            user=_user(username, password),
            department=Department.objects.get(slug=slug),
            defaults={"role": role, "level": level},
        )
    credentials = {"username": "admin", "password": password, "token": do_create_token(admin, "demo")}
    credentials_file.parent.mkdir(parents=True, exist_ok=True)
    credentials_file.write_text(json.dumps(credentials), encoding="utf-8")
    credentials_file.chmod(0o600)
    return credentials


def _shifted_rows(now: datetime) -> list[Row]:
    text = resources.files("sablier.demo").joinpath("data/mentions.jsonl").read_text(encoding="utf-8")
    items: list[dict[str, Any]] = [json.loads(line) for line in text.splitlines() if line.strip()]
    newest = max(datetime.fromisoformat(i["created_at"]) for i in items)
    shift = now - timedelta(minutes=5) - newest
    for item in items:
        item["created_at"] = (datetime.fromisoformat(item["created_at"]) + shift).isoformat()
    return [Row(number, item) for number, item in enumerate(items, start=1)]


def do_load_demo_mentions(on_row: Callable[[], object] = lambda: None) -> ImportReport | None:
    """Load the demo mentions, moved so the newest is five minutes old, the marketing audience and
    its campaigns; only into an empty hub. The worker then triages them (and the crisis pauses one)."""
    if Mention.objects.exists():
        return None
    report = import_rows(_shifted_rows(timezone.now()), source="demo", on_row=on_row)
    with resources.as_file(resources.files("sablier.demo").joinpath("data/audience.csv")) as audience:
        import_audience(audience)
    _schedule_campaigns(timezone.now())
    return report


def _schedule_campaigns(now: datetime) -> None:
    marketing = Department.objects.get(slug="marketing")
    author = User.objects.filter(memberships__department=marketing).first() or User.objects.first()
    audience = [
        Identifier(email=e) for e in Handle.objects.filter(network="email").values_list("handle", flat=True)
    ]
    if author is None or not audience:
        return
    for subject, text, topics in DEMO_CAMPAIGNS:
        do_schedule_post(
            author, MARKETING, "email", text, audience, now + timedelta(days=2), subject, topics, marketing
        )
