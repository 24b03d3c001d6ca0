"""What a notification says on each channel, in the reader's language; pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

KIND_LABELS = {
    "case.routed": ("Case routed to your department", "Dossier confié à votre service"),
    "case.assigned": ("Case assigned to you", "Dossier qui vous est attribué"),
    "mention": ("You were mentioned", "On vous a mentionné"),
    "approval.requested": ("Approval requested", "Approbation demandée"),
    "approval.decided": ("Approval decided", "Approbation tranchée"),
    "handoff": ("Case handed off", "Dossier transmis"),
    "crisis": ("Crisis", "Crise"),
}
URGENCY_LABELS = {
    "low": ("low", "faible"),
    "normal": ("normal", "normale"),
    "high": ("high", "haute"),
    "critical": ("critical", "critique"),
}
MAX_SUBJECT = 120


@dataclass(frozen=True)
class Item:
    kind: str
    urgency: str
    text: str
    case_id: int | None


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def _pick(labels: tuple[str, str], language: str) -> str:
    return labels[1] if language == "fr" else labels[0]


def _heading(item: Item, language: str) -> str:
    case = (
        ""
        if item.case_id is None
        else (f" — dossier {item.case_id}" if language == "fr" else f" — case {item.case_id}")
    )
    urgency = _pick(URGENCY_LABELS[item.urgency], language)
    return f"{_pick(KIND_LABELS.get(item.kind, (item.kind, item.kind)), language)} ({urgency}){case}"


def _line(item: Item, language: str) -> str:
    return f"{_heading(item, language)}: {item.text}"


def _html_line(item: Item, language: str) -> str:
    return f"<b>{escape(_heading(item, language))}</b>: {escape(item.text)}"


def render(items: Sequence[Item], language: str) -> Message:
    """One notification as itself; several as a digest listing each one."""
    if len(items) == 1:
        item = items[0]
        subject = f"[Sablier] {_heading(item, language)}"[:MAX_SUBJECT]
        return Message(subject, _line(item, language), _html_line(item, language))
    count = len(items)
    title = f"{count} notifications Sablier" if language == "fr" else f"{count} Sablier notifications"
    text = "\n".join([title, *(f"• {_line(i, language)}" for i in items)])
    html = f"<p>{escape(title)}</p><ul>{''.join(f'<li>{_html_line(i, language)}</li>' for i in items)}</ul>"
    return Message(f"[Sablier] {title}", text, html)
