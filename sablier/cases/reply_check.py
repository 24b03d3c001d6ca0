"""The guardrails on a case's latest draft: shown on the case, enforced before approval or answer."""

from __future__ import annotations

from sablier.answer.guardrails import GuardrailPolicy, GuardrailReport, check_reply
from sablier.cases import states
from sablier.cases.models import Case
from sablier.cases.queries import first_inbound
from sablier.errors import FieldError, ValidationFailed
from sablier.organisation.actions import current_organisation

# Moves after which the draft may go public: the guardrails must let it through first.
GUARDED = (states.AWAITING_APPROVAL, states.ANSWERED)


def draft_report(case: Case) -> GuardrailReport | None:
    """What the guardrails find in the latest draft, or None when there is no draft."""
    draft = case.drafts.order_by("-version").first()
    if draft is None:
        return None
    policy = GuardrailPolicy.from_mapping(current_organisation().guardrails)
    opening = first_inbound(case.pk)
    network = opening.network if opening else None
    return check_reply(draft.text, policy, network=network, language=case.language or None)


def check_draft_publishable(case: Case, target: str) -> None:
    if target not in GUARDED:
        return
    report = draft_report(case)
    if report is not None and report.blocked:
        blocking = [f for f in report.findings if f.severity == "block"]
        raise ValidationFailed(
            "the draft reply is blocked by the guardrails: edit it, then try again",
            [FieldError("draft", finding.message) for finding in blocking],
        )
