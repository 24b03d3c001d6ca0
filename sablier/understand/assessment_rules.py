"""Predicates that answer the assessment tree's questions from a Reading, each with its reason."""

from __future__ import annotations

from collections.abc import Callable

from sablier.understand.reading import Reading

Answer = tuple[bool, str]
Predicate = Callable[[Reading], Answer]

NOT_BALANCED_INTENTS = frozenset({"complaint", "crisis", "spam_troll"})
NOT_BALANCED_SIGNALS = frozenset(
    {"hostile", "sarcasm", "misinformation", "negative_experience", "threat", "self_harm", "safety"}
)
RAGE_SIGNALS = frozenset({"hostile", "profanity", "sarcasm", "rant"})
WORTH_ANSWERING = frozenset({"praise", "question", "sales_lead", "partnership", "press", "job"})
SPEAKS_FOR_OTHERS = frozenset({"press", "partnership"})  # a reporter's outage is not theirs
FINAL_RESPONSE = frozenset({"question", "press", "partnership", "job", "crisis", "complaint", "sales_lead"})


def positive_or_balanced(r: Reading) -> Answer:
    # Misinformation is never "balanced": the first test should also be "is it true?".
    blockers = [f"sentiment {r.sentiment.value}"] if r.sentiment.value == "negative" else []
    blockers += [f"intent {r.intent.value}"] if r.intent.value in NOT_BALANCED_INTENTS else []
    blockers += sorted(r.signals & NOT_BALANCED_SIGNALS)
    if blockers:
        return False, "not balanced: " + ", ".join(blockers)
    return True, f"sentiment {r.sentiment.value}, intent {r.intent.value}"


def dedicated_to_bashing(r: Reading) -> Answer:
    if "dedicated_bashing" in r.signals:
        return True, "repeated insults with no concrete issue"
    if r.intent.value == "spam_troll" and "hostile" in r.signals and "rant" not in r.signals:
        return True, "hostile troll or spam"  # a rant is a rager's, answered by the next question
    return False, "not bashing for its own sake"


def rant_rage_joke(r: Reading) -> Answer:
    rage = sorted(r.signals & RAGE_SIGNALS)
    if rage and not negative_experience(r)[0]:
        return True, "rant without a concrete complaint: " + ", ".join(rage)
    if rage:
        return False, "angry, but about a concrete experience"
    return False, "no rant, rage or joke"


def erroneous_facts(r: Reading) -> Answer:
    if "misinformation" in r.signals:
        return True, "rumour or false-claim cues"
    return False, "no misinformation cue"


def negative_experience(r: Reading) -> Answer:
    if r.intent.value == "complaint":
        return True, "a complaint about a negative experience"
    if "negative_experience" in r.signals and r.intent.value not in SPEAKS_FOR_OTHERS:
        return True, "describes a negative experience"
    return False, "no negative experience described"


def want_to_respond_positive(r: Reading) -> Answer:
    if r.intent.value in WORTH_ANSWERING:
        return True, f"a {r.intent.value} deserves an answer"
    return False, f"nothing to add to a {r.intent.value} post"


def share_story(r: Reading) -> Answer:
    if r.intent.value == "praise" or r.sentiment.value == "positive":
        return True, "positive: thank and share the success"
    return False, "neutral: answer on its own terms"


def unless_troll(r: Reading) -> Answer:
    if r.intent.value == "spam_troll":
        return False, "the author looks like a troll"
    return True, "a real person who deserves a remedy"


def final_evaluation(r: Reading) -> Answer:
    if r.intent.value in FINAL_RESPONSE:
        return True, f"a {r.intent.value} calls for a response"
    return False, f"nothing calls for a response to a {r.intent.value} post"


PREDICATES: dict[str, Predicate] = {
    "positive_or_balanced": positive_or_balanced,
    "dedicated_to_bashing": dedicated_to_bashing,
    "rant_rage_joke": rant_rage_joke,
    "erroneous_facts": erroneous_facts,
    "negative_experience": negative_experience,
    "want_to_respond_positive": want_to_respond_positive,
    "share_story": share_story,
    "worth_correcting": unless_troll,
    "can_restore": unless_troll,
    "final_evaluation": final_evaluation,
}
