"""The Web Posting Response Assessment (US Air Force Public Affairs Agency, V.2, 2009) as data.

Three kinds of node: yes/no questions answered by a named predicate, labels that classify
the posting, and outcomes. D1 ("has someone discovered a post?") is implicit: we assess
only what was discovered. Where the chart is silent we chose, and say so below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    en: str
    fr: str
    predicate: str
    yes: str
    no: str


@dataclass(frozen=True)
class Label:
    id: str
    category: str
    en: str
    fr: str
    next: str


@dataclass(frozen=True)
class Outcome:
    id: str
    outcome: str
    response_kind: str | None
    notify_central: bool
    en: str
    fr: str


Node = Question | Label | Outcome

START = "D2"
NODES: tuple[Node, ...] = (
    Question(
        "D2",
        "POSITIVE OR BALANCED",
        "Is it positive or balanced?",
        "Le message est-il positif ou équilibré ?",
        "positive_or_balanced",
        "L_POSITIVE",
        "E1",
    ),
    Label("L_POSITIVE", "positive", "Concurrence", "Concordance", "P1"),
    Question(
        "P1",
        "CONCURRENCE",
        "Do you want to respond?",
        "Voulez-vous répondre ?",
        "want_to_respond_positive",
        "P2",
        "OUT_LET_STAND",
    ),
    # The chart leaves "no" unclear here; a question or a lead still deserves an answer.
    Question(
        "P2",
        "SHARE SUCCESS",
        "Do you wish to proactively share your story and your mission?",
        "Souhaitez-vous partager de vous-même votre histoire et votre mission ?",
        "share_story",
        "OUT_SHARE_SUCCESS",
        "OUT_CONCUR",
    ),
    Question(
        "E1",
        "TROLLS",
        "Is this a site dedicated to bashing and degrading others?",
        "Est-ce un lieu voué à dénigrer et rabaisser les autres ?",
        "dedicated_to_bashing",
        "L_TROLL",
        "E2",
    ),
    Label("L_TROLL", "troll", "Troll", "Troll", "OUT_MONITOR_ONLY"),
    Question(
        "E2",
        "RAGER",
        "Is the posting a rant, rage, joke or satirical in nature?",
        "Le message est-il une diatribe, un coup de colère, une blague ou une satire ?",
        "rant_rage_joke",
        "L_RAGER",
        "E3",
    ),
    Label("L_RAGER", "rager", "Rager", "Enragé", "OUT_MONITOR_ONLY"),
    Question(
        "E3",
        "MISGUIDED",
        "Are there erroneous facts in the posting?",
        "Le message contient-il des faits erronés ?",
        "erroneous_facts",
        "L_MISGUIDED",
        "E4",
    ),
    Label("L_MISGUIDED", "misguided", "Misguided", "Mal informé", "R_FIX"),
    Question(
        "E4",
        "UNHAPPY CUSTOMER",
        "Is the posting a result of a negative experience?",
        "Le message découle-t-il d'une mauvaise expérience ?",
        "negative_experience",
        "L_UNHAPPY",
        "L_FINAL",
    ),
    Label("L_UNHAPPY", "unhappy_customer", "Unhappy customer", "Client mécontent", "R_RESTORE"),
    Label("L_FINAL", "final_evaluation", "Final evaluation", "Évaluation finale", "R_FINAL"),
    Question(
        "R_FIX",
        "FIX THE FACTS",
        "Do you wish to respond with factual information directly on the comment board?",
        "Souhaitez-vous répondre avec des faits, directement sous le message ?",
        "worth_correcting",
        "OUT_FIX_FACTS",
        "OUT_LET_STAND",
    ),
    Question(
        "R_RESTORE",
        "RESTORATION",
        "Do you wish to rectify the situation and act upon a reasonable solution?",
        "Souhaitez-vous corriger la situation et agir selon une solution raisonnable ?",
        "can_restore",
        "OUT_RESTORE",
        "OUT_LET_STAND",
    ),
    Question(
        "R_FINAL",
        "FINAL EVALUATION",
        "Will you respond? Write a response for current circumstances only.",
        "Allez-vous répondre ? Rédigez une réponse pour la situation présente seulement.",
        "final_evaluation",
        "OUT_RESPOND",
        "OUT_LET_STAND",
    ),
    Outcome(
        "OUT_MONITOR_ONLY",
        "monitor_only",
        None,
        True,
        "Monitor only: avoid responding to specific posts, monitor the site for relevant "
        "information and comments, and notify the central team.",
        "Surveiller seulement : ne pas répondre aux messages, surveiller le site pour repérer "
        "l'information et les commentaires utiles, et aviser l'équipe centrale.",
    ),
    Outcome(
        "OUT_LET_STAND",
        "let_stand",
        None,
        False,
        "Let the post stand: no response.",
        "Laisser le message tel quel : aucune réponse.",
    ),
    Outcome(
        "OUT_SHARE_SUCCESS",
        "share_success",
        "share_success",
        False,
        "Respond and share your story (see the response considerations).",
        "Répondre et partager votre histoire (voir les éléments à considérer).",
    ),
    Outcome(
        "OUT_CONCUR",
        "respond",
        "concurrence",
        False,
        "Respond on the post's own terms: concur, answer or thank (see the response considerations).",
        "Répondre selon le message : approuver, renseigner ou remercier (voir les éléments à considérer).",
    ),
    Outcome(
        "OUT_FIX_FACTS",
        "fix_the_facts",
        "fix_the_facts",
        False,
        "Respond with factual, well-cited information (see the response considerations).",
        "Répondre avec des faits et des sources fiables (voir les éléments à considérer).",
    ),
    Outcome(
        "OUT_RESTORE",
        "restoration",
        "restoration",
        False,
        "Respond, rectify the situation and act on a reasonable solution.",
        "Répondre, corriger la situation et appliquer une solution raisonnable.",
    ),
    Outcome(
        "OUT_RESPOND",
        "respond",
        "final_evaluation",
        False,
        "Respond for the current circumstances only (see the response considerations).",
        "Répondre pour la situation présente seulement (voir les éléments à considérer).",
    ),
)
TREE: dict[str, Node] = {node.id: node for node in NODES}
