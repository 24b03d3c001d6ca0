"""Intent: which of INTENTS a message is mostly about, scored from cue phrases."""

from __future__ import annotations

from sablier.understand.lexicon import Hit, find, quoted
from sablier.understand.negation import affirmed
from sablier.understand.reading import Judgement
from sablier.understand.sentiment import detect_sentiment
from sablier.understand.signals import detect_signals

# Ties go to the intent listed first: a crisis outranks a complaint, which outranks a question.
PRIORITY: tuple[str, ...] = ("crisis", "complaint", "press", "job", "partnership", "sales_lead")
PRIORITY += ("question", "praise", "spam_troll")
ALSO_COUNTS = {
    "complaint": ("negative_experience", "technical"),
    "crisis": ("safety", "threat", "self_harm"),
    "spam_troll": ("insult", "spam"),
}
WEIGHT = {"question": 0.6, "spam_troll": 0.75}  # "how do I" is weaker evidence than "mortgage rate"
QUESTION_MARK = 0.4
GATES = {"complaint": "negative_experience"}
BLOCKED_BY = {"praise": ("sarcasm", "hostile")}
Scores = dict[str, tuple[float, tuple[str, ...]]]


def intent_hits(text: str) -> dict[str, list[Hit]]:
    """Each intent's hits, minus those inside a longer cue of any intent ("great job" ≠ job)."""
    sources = {i: (i, *ALSO_COUNTS.get(i, ())) for i in PRIORITY}
    hits = {i: [h for c in cats for h in cue_hits(c, text)] for i, cats in sources.items()}
    every = [h for found in hits.values() for h in found]
    return {i: [h for h in found if not shadowed(h, every)] for i, found in hits.items()}


def cue_hits(category: str, text: str) -> tuple[Hit, ...]:
    """Only a bad experience can be negated away: "not happy with the service" is a complaint."""
    return affirmed(category, text) if category == "negative_experience" else find(category, text)


def shadowed(hit: Hit, others: list[Hit]) -> bool:
    return any(o.overlaps(hit) and o.end - o.start > hit.end - hit.start for o in others)


def scores(text: str) -> Scores:
    """Each intent's score and the cues behind it; intents that cannot apply score 0."""
    signals = detect_signals(text)
    table: Scores = {}
    for intent, hits in intent_hits(text).items():
        cues = tuple(dict.fromkeys(h.cue for h in hits))
        if GATES.get(intent, "") not in {"", *signals} or set(BLOCKED_BY.get(intent, ())) & signals:
            cues = ()
        table[intent] = (len(cues) * WEIGHT.get(intent, 1.0), cues)
    if "question_mark" in signals:
        points, cues = table["question"]
        table["question"] = (points + QUESTION_MARK, (*cues, "?"))
    return table


def detect_intent(text: str) -> Judgement:
    """The best-scoring intent with its cues, or "other" when nothing matched."""
    table = scores(text)
    ranked = sorted(PRIORITY, key=lambda name: -table[name][0])  # stable: ties keep PRIORITY order
    best, runner = ranked[0], ranked[1]
    top, cues = table[best]
    if top == 0:
        return fallback(text)
    if cues == ("?",):
        return Judgement("question", 0.3, ("question: only a question mark",))
    margin = (top - table[runner][0]) / top
    reasons = [f"{best}: {quoted(cues)}"]
    if table[runner][0]:
        reasons.append(f"runner-up {runner}: {quoted(table[runner][1])}")
    confidence = round(min(0.95, 0.3 + 0.15 * top + 0.25 * margin), 3)
    return Judgement(best, confidence, tuple(reasons))


def fallback(text: str) -> Judgement:
    """A warm message with no cue is still praise, weakly: "the new branch is nice"."""
    sentiment = detect_sentiment(text)
    if sentiment.value == "positive" and "sarcasm" not in detect_signals(text):
        return Judgement("praise", 0.35, ("praise: positive sentiment, no intent cue",))
    return Judgement("other", 0.5, ("no intent cue",))
