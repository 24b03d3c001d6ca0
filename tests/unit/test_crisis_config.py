"""The organisation file's `crisis:` section: defaults when absent, every bad key named."""

from __future__ import annotations

import pytest

from sablier.crisis.config import CrisisConfig, check_crisis_config, parse_crisis_config
from sablier.crisis.topics import topics_of, tracked_topics
from sablier.errors import ValidationFailed
from sablier.organisation.config import load_organisation

SECTION = {
    "bucket_minutes": 10,
    "min_count": 20,
    "p_value": 1e-8,
    "burst": {"cases": 5, "minutes": 15},
    "watch": [{"fr": "fuite de données", "en": "data breach"}, "rappel"],
    "topics": [{"fr": ["panne", "en panne"], "en": "outage"}],
}


def test_it_uses_the_defaults_when_the_section_is_absent() -> None:
    assert check_crisis_config(None) == [] and parse_crisis_config(None) == CrisisConfig()
    assert parse_crisis_config({}).limits.baseline_buckets == 288


def test_it_reads_the_section() -> None:
    config = parse_crisis_config(SECTION)
    assert (config.limits.bucket_minutes, config.limits.min_count, config.limits.ratio) == (10, 20, 3.0)
    assert (config.burst_cases, config.burst_minutes) == (5, 15)
    assert [w.name for w in config.watch] == ["fuite de données / data breach", "rappel"]
    assert config.topics[0].phrases == {"panne", "en panne", "outage"}


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ({"watch": ["ok", {"en": "fine"}, 12]}, "crisis.watch[2]"),
        ({"watch": [{"de": "Ausfall"}]}, "crisis.watch[0]"),
        ({"topics": [{"fr": ""}]}, "crisis.topics[0].fr"),
        ({"watch": "rappel"}, "crisis.watch"),
        ({"min_count": 0}, "crisis.min_count"),
        ({"ratio": "three"}, "crisis.ratio"),
        ({"bucket_minutes": True}, "crisis.bucket_minutes"),
        ({"p_value": 0.9}, "crisis.p_value"),
        ({"burst": {"cases": -1}}, "crisis.burst.cases"),
        ({"burst": {"size": 3}}, "crisis.burst"),
        ({"treshold": 3}, "crisis.treshold"),
        (["panne"], "crisis"),
    ],
)
def test_it_names_the_bad_key(section: object, field: str) -> None:
    assert [e.field for e in check_crisis_config(section)] == [field]
    with pytest.raises(ValidationFailed):
        parse_crisis_config(section)


def test_it_tracks_routing_keywords_topics_and_watched_words_and_intents() -> None:
    topics = tracked_topics(parse_crisis_config(SECTION), load_organisation(None).rules)
    keys = {t.key for t in topics}
    assert {"keyword:lawsuit", "topic:panne / en panne / outage", "watch:rappel"} <= keys
    found = topics_of("Encore une PANNE, je contacte mon avocat", "complaint", topics)
    assert found == ["keyword:avocat", "topic:panne / en panne / outage", "intent:complaint"]
    assert topics_of("Rappel de produit", "spam_troll", topics) == ["watch:rappel"]
