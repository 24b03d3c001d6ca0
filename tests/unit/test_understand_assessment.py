import dataclasses

import pytest

from sablier.errors import ConfigurationError
from sablier.understand import CONSIDERATIONS, START, TREE, Assessment, assess, check_tree, read
from sablier.understand.assessment_rules import PREDICATES
from sablier.understand.assessment_tree import Label, Question


def test_it_sends_trolls_to_monitoring_and_the_central_team():
    assessment = assess(read("You are all idiots and thieves, bande de clowns"))
    assert (assessment.category, assessment.outcome) == ("troll", "monitor_only")
    assert assessment.notify_central and assessment.path == ("D2:no", "E1:yes")
    assert assessment.considerations == ()


def test_it_monitors_ragers():
    assessment = assess(read("This fucking bank is a joke lol"))
    assert (assessment.category, assessment.outcome) == ("rager", "monitor_only")
    assert assessment.path == ("D2:no", "E1:no", "E2:yes") and assessment.notify_central


def test_it_fixes_the_facts_for_the_misguided():
    assessment = assess(read("Il paraît que la succursale de Verdun va fermer, c'est vrai?"))
    assert (assessment.category, assessment.outcome) == ("misguided", "fix_the_facts")
    assert not assessment.notify_central


def test_it_restores_unhappy_customers_even_sarcastic_ones():
    texts = ("Ça fait 3 semaines que j'attends, pas de réponse", "great, another outage 🙃")
    for text in texts:
        assessment = assess(read(text))
        assert (assessment.category, assessment.outcome) == ("unhappy_customer", "restoration")
        assert assessment.path[-2:] == ("E4:yes", "R_RESTORE:yes")


def test_it_shares_success_on_praise_with_the_checklist():
    assessment = assess(read("Thank you so much, excellent service today!"))
    assert (assessment.category, assessment.outcome) == ("positive", "share_success")
    assert assessment.considerations == CONSIDERATIONS
    keys = [c.key for c in CONSIDERATIONS]
    assert keys == ["transparency", "sourcing", "timeliness", "tone", "influence"]


def test_it_answers_a_neutral_question_and_responds_to_a_crisis():
    assert assess(read("How do I reset my password?")).outcome == "respond"
    crisis = assess(read("There is smoke coming out of your branch!"))
    assert (crisis.category, crisis.outcome) == ("final_evaluation", "respond")


@pytest.mark.parametrize(
    ("node_id", "change", "message"),
    [
        ("E3", {"yes": "NOWHERE"}, "unknown node 'NOWHERE'"),
        ("E4", {"no": "E1"}, "tree loops"),
        ("E2", {"predicate": "is_blue"}, "unknown predicate"),
        ("L_TROLL", {"next": "E2"}, "labels, not 1"),
    ],
)
def test_it_rejects_a_broken_tree(node_id, change, message):
    tree = dict(TREE)
    node = tree[node_id]
    assert isinstance(node, Question | Label)
    tree[node_id] = dataclasses.replace(node, **change)
    with pytest.raises(ConfigurationError, match=message):
        check_tree(tree, START, PREDICATES)


def test_it_round_trips_through_json():
    assessment = assess(read("Merci beaucoup, service impeccable"))
    assert Assessment.from_json(assessment.to_json()) == assessment
    assert assessment.to_json()["considerations"][0]["fr"].startswith("Dites qui vous êtes")
