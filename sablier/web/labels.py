"""Human, translated names for the identifiers the hub stores (states, intents, outcomes…)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    # case states
    "new": _("new"),
    "triaged": _("triaged"),
    "routed": _("routed"),
    "in_department": _("in department"),
    "drafted": _("drafted"),
    "awaiting_approval": _("awaiting approval"),
    "answered": _("answered"),
    "closed": _("closed"),
    "monitor_only": _("monitor only"),
    "reopened": _("reopened"),
    # intents
    "complaint": _("complaint"),
    "question": _("question"),
    "praise": _("praise"),
    "sales_lead": _("sales lead"),
    "job": _("job / HR"),
    "press": _("press"),
    "partnership": _("partnership"),
    "crisis": _("crisis / safety"),
    "spam_troll": _("spam / troll"),
    "other": _("other"),
    # sentiment and urgency
    "negative": _("negative"),
    "neutral": _("neutral"),
    "positive": _("positive"),
    "low": _("low"),
    "normal": _("normal"),
    "high": _("high"),
    "critical": _("critical"),
    # assessment categories and outcomes
    "troll": _("troll"),
    "rager": _("rager"),
    "misguided": _("misguided"),
    "unhappy_customer": _("unhappy customer"),
    "final_evaluation": _("final evaluation"),
    "share_success": _("share success"),
    "let_stand": _("let stand"),
    "fix_the_facts": _("fix the facts"),
    "restoration": _("restoration"),
    "respond": _("respond"),
}
