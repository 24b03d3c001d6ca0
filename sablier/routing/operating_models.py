"""The six answers to "who should own social media?": who owns a routed case, who may draft and
publish its answer, and which approvals the model itself adds to the organisation's rules."""

from __future__ import annotations

from dataclasses import dataclass

from sablier.routing.decision import Decision
from sablier.routing.structure import Structure


@dataclass(frozen=True)
class OperatingModel:
    slug: str
    name_en: str
    name_fr: str
    summary_en: str
    summary_fr: str


MODELS = (
    OperatingModel(
        "centralized",
        "Centralized",
        "Centralisé",
        "One team answers everything; departments are consulted through internal threads only.",
        "Une seule équipe répond à tout; les services sont consultés par fil interne seulement.",
    ),
    OperatingModel(
        "customer-service-led",
        "Customer-service-led",
        "Piloté par le service à la clientèle",
        "Customer service owns the inbox and the public answers; other departments are consulted.",
        "Le service à la clientèle possède la boîte et les réponses publiques; les autres sont consultés.",
    ),
    OperatingModel(
        "hub-and-spoke",
        "Hub and spoke (the hourglass)",
        "En étoile (le sablier)",
        "The central team triages and approves; departments own their cases and draft the answers.",
        "L'équipe centrale trie et approuve; les services possèdent leurs dossiers et rédigent.",
    ),
    OperatingModel(
        "multiple-hub-and-spoke",
        "Multiple hub and spoke",
        "Plusieurs étoiles",
        "Each business unit has its own hub that approves and publishes; crises go to a shared team.",
        "Chaque unité a son pôle qui approuve et publie; les crises vont à une équipe commune.",
    ),
    OperatingModel(
        "distributed",
        "Holistic / distributed",
        "Holistique / distribué",
        "Any enrolled employee may draft or answer within guardrails, by training level and topic.",
        "Tout employé formé peut rédiger ou répondre dans les garde-fous, selon son niveau et le sujet.",
    ),
    OperatingModel(
        "solo",
        "Solo",
        "Solo",
        "One person, every queue in one view, no approvals, nothing to configure.",
        "Une seule personne, toutes les files dans une vue, aucune approbation, rien à configurer.",
    ),
)
MODEL_SLUGS = tuple(m.slug for m in MODELS)


def model_named(slug: str) -> OperatingModel:
    return next(m for m in MODELS if m.slug == slug)


@dataclass(frozen=True)
class Ownership:
    department: str
    consulted: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Actor:
    """What the models need to know about a person."""

    departments: frozenset[str]
    central: bool
    level: str = "enrolled"


@dataclass(frozen=True)
class CaseFacts:
    owner: str
    intent: str
    crisis: bool = False


def _consulting(owner: str, *groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(sorted({d for group in groups for d in group if d and d != owner}))


def own(model: str, decision: Decision, crisis: bool, structure: Structure) -> Ownership:
    """Who owns a case the rules routed, under the given model, and why."""
    rule_owner, consult = decision.department, decision.consulted
    if model == "solo":
        return Ownership(structure.central, (), ("solo: one person answers everything",))
    if decision.monitor_only:
        return Ownership(rule_owner, consult, (f"{model}: monitored by {rule_owner}, not answered",))
    if model == "centralized":
        return Ownership(
            structure.central,
            _consulting(structure.central, [rule_owner], consult),
            (f"centralized: {structure.central} answers everything; {rule_owner} is consulted",),
        )
    if model == "customer-service-led" and rule_owner in structure.private:
        return Ownership(
            rule_owner,
            consult,
            (f"customer-service-led: {rule_owner} is private, so it keeps its own cases",),
        )
    if model == "customer-service-led" and structure.customer_service:
        service = structure.customer_service
        return Ownership(
            service,
            _consulting(service, [rule_owner], consult),
            (f"customer-service-led: {service} owns every public answer; {rule_owner} is consulted",),
        )
    if model == "multiple-hub-and-spoke":
        if rule_owner in structure.private:
            return Ownership(
                rule_owner,
                _consulting(rule_owner, [structure.central]),
                (f"multiple-hub-and-spoke: {rule_owner} is private; the central team approves, publishes",),
            )
        if crisis and structure.crisis_team:
            lead, *rest = structure.crisis_team
            hubs = [u.hub for u in structure.units]
            return Ownership(
                lead,
                _consulting(lead, rest, hubs, consult),
                (f"multiple-hub-and-spoke: crisis escalated to the shared crisis team led by {lead}",),
            )
        hub = structure.hub_of(rule_owner)
        return Ownership(
            rule_owner,
            _consulting(rule_owner, [hub], consult),
            (f"multiple-hub-and-spoke: {rule_owner} owns it; its hub {hub} approves and publishes",),
        )
    return Ownership(rule_owner, consult, (f"{model}: {rule_owner} owns the case and drafts the answer",))


def _may_answer_topic(actor: Actor, case: CaseFacts, structure: Structure) -> bool:
    return bool(actor.departments) and structure.may_answer_topic(actor.level, case.intent)


def may_draft(model: str, actor: Actor, case: CaseFacts, structure: Structure) -> str | None:
    """None when the actor may draft the answer, else why not."""
    if actor.central or model == "solo":
        return None
    if model == "centralized":
        return "centralized model: only the central team drafts; departments comment in the thread"
    if case.owner in actor.departments:
        return None
    if model == "multiple-hub-and-spoke" and structure.hub_of(case.owner) in actor.departments:
        return None
    if model == "distributed" and _may_answer_topic(actor, case, structure):
        return None
    return f"{model} model: the answer is drafted by {case.owner}; consulted departments comment"


def may_publish(model: str, actor: Actor, case: CaseFacts, structure: Structure) -> str | None:
    """None when the actor may publish the answer, else why not."""
    if actor.central or model == "solo":
        return None
    if model == "customer-service-led" and case.owner in actor.departments:
        return None
    if model == "multiple-hub-and-spoke":
        hub = (
            structure.crisis_team[0]
            if case.crisis and structure.crisis_team and case.owner not in structure.private
            else structure.hub_of(case.owner)
        )
        if hub in actor.departments:
            return None
        return f"multiple-hub-and-spoke model: {hub} publishes this answer"
    if model == "distributed" and (
        case.owner in actor.departments or _may_answer_topic(actor, case, structure)
    ):
        return None
    publisher = "the central team" if model in ("centralized", "hub-and-spoke") else case.owner
    return f"{model} model: {publisher} publishes this answer"


def model_approvers(
    model: str, drafter: Actor, case: CaseFacts, structure: Structure
) -> list[tuple[str, str]]:
    """Approvals the model itself requires, as (approver, reason)."""
    if model == "hub-and-spoke" and not drafter.central:
        return [(structure.central, "hub-and-spoke: the central team approves every public answer")]
    if model == "multiple-hub-and-spoke":
        hub = structure.hub_of(case.owner)
        if hub not in drafter.departments and not case.crisis:
            return [(hub, f"multiple-hub-and-spoke: the hub {hub} approves its unit's answers")]
    return []
