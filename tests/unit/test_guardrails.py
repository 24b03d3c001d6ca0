"""Guardrails on a draft reply: banned phrases, tone, length per network, checklist, policy."""

import json

import pytest

from sablier.answer.guardrails import GuardrailPolicy, check_reply
from sablier.errors import ValidationFailed

POLICY = GuardrailPolicy(
    banned_phrases=("garanti", "we guarantee", "c'est de votre faute", "calm down", "calmez-vous")
)
SIGNED = GuardrailPolicy(signature=r"— \w+, (?:Service client|Customer care)")


def rules(text, policy=POLICY, **options):
    return [f.rule for f in check_reply(text, policy, **options).findings]


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Le remboursement est garanti.", "garanti"),
        ("Remboursement GARANTI sous 48 h", "GARANTI"),
        ("We guarantee a refund.", "We guarantee"),
        ("we   GUARANTEE it", "we   GUARANTEE"),
        ("Franchement, c'est de votre faute.", "c'est de votre faute"),
        ("C\u2019est de votre faute", "C\u2019est de votre faute"),
        ("Cest de votre faute", None),
        ("Calmez-vous, s'il vous plaît.", "Calmez-vous"),
        ("CALMEZ VOUS", "CALMEZ VOUS"),
        ("Please calm down.", "calm down"),
    ],
)
def test_it_matches_banned_phrases_whatever_the_case_and_accents(text, excerpt):
    found = [f.excerpt for f in check_reply(text, POLICY).findings if f.rule == "tone.banned_phrase"]
    assert found == ([excerpt] if excerpt else [])


@pytest.mark.parametrize(
    "text",
    ["La garantie couvre la pièce.", "Votre produit est garantie constructeur.", "Calm downtown traffic"],
)
def test_it_matches_whole_phrases_only(text):
    assert rules(text) == []


def test_it_folds_accents_in_the_banned_phrase_too():
    policy = GuardrailPolicy(banned_phrases=("Désolé pour le dérangement",))
    (finding,) = check_reply("desole pour le DERANGEMENT", policy).findings
    assert finding.excerpt == "desole pour le DERANGEMENT" and finding.severity == "block"


def test_it_says_which_banned_phrase_matched():
    (finding,) = check_reply("Ce sera GARANTI demain.", POLICY).findings
    assert finding.message == "banned phrase 'garanti' found as 'GARANTI': rephrase without it"
    assert (finding.start, finding.end) == (8, 15)


def test_it_ships_tone_phrases_by_default():
    assert rules("Calmez-vous, c'est votre faute.", GuardrailPolicy()) == ["tone.banned_phrase"] * 2


@pytest.mark.parametrize(
    "text",
    ["C'EST INACCEPTABLE, NOUS ALLONS RÉGLER ÇA", "THIS IS NOT HOW WE TREAT OUR CUSTOMERS, SORRY"],
)
def test_it_warns_about_shouting(text):
    report = check_reply(text, POLICY)
    assert rules(text) == ["tone.shouting"] and not report.blocked


@pytest.mark.parametrize(
    "text",
    ["OK!", "Merci, la SAQ et la RAMQ vous répondront.", "Our FAQ covers VPN, SMS and PIN resets in detail."],
)
def test_it_lets_short_replies_and_acronyms_pass(text):
    assert "tone.shouting" not in rules(text)


def test_it_counts_capitals_against_the_policy_threshold():
    text = "Merci BEAUCOUP pour VOTRE patience"
    assert rules(text, GuardrailPolicy(max_uppercase_share=0.3)) == ["tone.shouting"]
    assert rules(text, GuardrailPolicy(max_uppercase_share=0.5)) == []


@pytest.mark.parametrize(
    ("text", "count"), [("Merci ! Bravo ! Génial !", 3), ("Thanks!!!", 3), ("Wow\uff01\uff01\uff01", 3)]
)
def test_it_warns_about_too_many_exclamation_marks(text, count):
    (finding,) = check_reply(text, POLICY).findings
    assert finding.rule == "tone.exclamations" and finding.severity == "warn"
    assert finding.message.startswith(f"{count} exclamation marks (limit 2)")


def test_it_allows_the_configured_number_of_exclamation_marks():
    assert rules("Merci ! Bonne journée !") == []
    assert rules("Thanks!", GuardrailPolicy(max_exclamations=0)) == ["tone.exclamations"]


@pytest.mark.parametrize(
    ("network", "limit"),
    [("x", 280), ("twitter", 280), ("bluesky", 300), ("mastodon", 500), ("Mastodon", 500)],
)
def test_it_blocks_a_reply_too_long_for_the_network(network, limit):
    assert rules("a" * limit, network=network) == []
    (finding,) = check_reply("a" * (limit + 5), POLICY, network=network).findings
    assert finding.rule == "length.network" and finding.severity == "block"
    assert finding.start == limit and finding.message.endswith(f"accepts {limit}: shorten it by 5")


def test_it_has_no_length_limit_without_a_known_network():
    assert rules("a" * 5000) == rules("a" * 5000, network="rss") == []


def test_it_counts_graphemes_on_bluesky():
    family, flag, accent = "👩\u200d👩\u200d👧", "🇨🇦", "e\u0301"
    assert rules((family + flag + accent) * 100, network="bluesky") == []
    assert rules((family + flag + accent) * 101, network="bluesky") == ["length.network"]


def test_it_counts_a_link_as_23_characters_on_x_and_mastodon():
    text = "Voir " + "https://example.org/" + "x" * 300 + " " + "a" * 250
    assert rules(text, network="x") == []
    assert rules(text, network="bluesky") == ["length.network"]


def test_it_lets_the_organisation_set_its_own_limits():
    policy = GuardrailPolicy.from_mapping({"network_limits": {"mastodon": 1000, "Threads": 500}})
    assert rules("a" * 800, policy, network="mastodon") == []
    assert rules("a" * 501, policy, network="threads") == ["length.network"]
    assert rules("a" * 281, policy, network="x") == ["length.network"]


@pytest.mark.parametrize(
    "text",
    ["Merci de votre message. — Marie, Service client", "Thanks for waiting — Sam, Customer care"],
)
def test_it_accepts_a_signed_reply(text):
    assert rules(text, SIGNED) == []


@pytest.mark.parametrize("text", ["Merci de votre message.", "Thanks — the team"])
def test_it_blocks_an_unsigned_reply_when_a_signature_is_required(text):
    (finding,) = check_reply(text, SIGNED).findings
    assert finding.rule == "checklist.transparency" and finding.severity == "block"
    assert "not signed" in finding.message and (finding.start, finding.end) == (len(text), len(text))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("C'est faux : nos frais n'ont pas augmenté.", "fr"),
        ("Cette rumeur circule, mais nos agences restent ouvertes.", "fr"),
        ("That is not true: our fees did not go up.", "en"),
        ("This rumour is misleading; branches stay open.", None),
    ],
)
def test_it_warns_when_a_correction_cites_no_source(text, language):
    (finding,) = check_reply(text, POLICY, language=language).findings
    assert finding.rule == "checklist.sourcing" and finding.severity == "warn"
    assert "add a link" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "C'est faux : voir https://banque.example/frais",
        "Not true, see www.bank.example/fees",
        "Merci, nous regardons votre dossier.",
    ],
)
def test_it_accepts_a_sourced_correction_or_no_correction(text):
    assert rules(text) == []


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("Bonjour [PRÉNOM], merci.", "[PRÉNOM]"),
        ("Bonjour [nom], merci.", "[nom]"),
        ("Hello {{first_name}}, thanks.", "{{first_name}}"),
        ("Refund due on TODO.", "TODO"),
        ("Your ticket is XXX.", "XXX"),
    ],
)
def test_it_blocks_a_template_left_unfilled(text, placeholder):
    (finding,) = check_reply(text, POLICY).findings
    assert finding.rule == "checklist.placeholder" and finding.excerpt == placeholder


def test_it_lets_bracketed_short_tags_pass():
    assert rules("[EN] Thanks for your message. [FR] Merci de votre message.") == []


def test_it_puts_blocking_findings_first_then_reading_order():
    text = "Merci !!! Votre remboursement est garanti, appelez le 06 12 34 56 78"
    assert rules(text) == ["tone.banned_phrase", "personal_data.phone", "tone.exclamations"]


def test_it_reports_json_that_round_trips():
    report = check_reply("Garanti ! Carte 4111 1111 1111 1111", POLICY)
    data = json.loads(json.dumps(report.to_json()))
    assert data["blocked"] is True
    assert [f["rule"] for f in data["findings"]] == ["tone.banned_phrase", "personal_data.card"]
    assert set(data["findings"][0]) == {"rule", "severity", "message", "excerpt", "start", "end"}


def test_it_passes_a_clean_reply_in_both_languages():
    text = (
        "Bonjour, votre commande #A-48213 partira le 27/11/2026. Écrivez-nous en privé au besoin. "
        "Hello, your order 1234567 ships on 11/27/2026 for $1,250.00. — Marie, Service client"
    )
    report = check_reply(text, SIGNED, network="mastodon", language="fr")
    assert report.findings == () and not report.blocked


def test_it_reads_a_policy_from_a_yaml_mapping():
    policy = GuardrailPolicy.from_mapping(
        {
            "banned_phrases": ["garanti"],
            "allowed_contacts": ["aide@banque.example"],
            "max_uppercase_share": 0.4,
            "max_exclamations": 1,
            "signature": "— Marie",
        }
    )
    assert policy.banned_phrases == ("garanti",) and policy.allowed_contacts == ("aide@banque.example",)
    assert (policy.max_uppercase_share, policy.max_exclamations, policy.signature) == (0.4, 1, "— Marie")
    assert policy.network_limits["x"] == 280


def test_it_keeps_defaults_for_missing_keys():
    assert GuardrailPolicy.from_mapping({}) == GuardrailPolicy()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"banned_phrases": ["garanti", "ok", 3]}, "guardrails.banned_phrases[2]"),
        ({"banned_phrases": ["garanti", "  "]}, "guardrails.banned_phrases[1]"),
        ({"banned_phrases": "garanti"}, "guardrails.banned_phrases"),
        ({"allowed_contacts": [None]}, "guardrails.allowed_contacts[0]"),
        ({"max_uppercase_share": 1.5}, "guardrails.max_uppercase_share"),
        ({"max_uppercase_share": "half"}, "guardrails.max_uppercase_share"),
        ({"max_exclamations": -1}, "guardrails.max_exclamations"),
        ({"max_exclamations": True}, "guardrails.max_exclamations"),
        ({"signature": "(unclosed"}, "guardrails.signature"),
        ({"signature": 42}, "guardrails.signature"),
        ({"network_limits": {"x": 0}}, "guardrails.network_limits.x"),
        ({"network_limits": {"bluesky": "300"}}, "guardrails.network_limits.bluesky"),
        ({"network_limits": [280]}, "guardrails.network_limits"),
        ({"banned_phrase": ["oops"]}, "guardrails.banned_phrase"),
    ],
)
def test_it_names_the_bad_key_in_a_policy(data, field):
    with pytest.raises(ValidationFailed) as raised:
        GuardrailPolicy.from_mapping(data)
    assert [e.field for e in raised.value.errors] == [field]
    assert raised.value.body()["code"] == "validation"


def test_it_names_every_bad_key_at_once():
    with pytest.raises(ValidationFailed) as raised:
        GuardrailPolicy.from_mapping({"max_exclamations": "two", "signature": "["}, where="org.guardrails")
    assert [e.field for e in raised.value.errors] == [
        "org.guardrails.max_exclamations",
        "org.guardrails.signature",
    ]


def test_it_refuses_a_policy_that_is_not_a_mapping():
    with pytest.raises(ValidationFailed) as raised:
        GuardrailPolicy.from_mapping(["garanti"])
    assert [e.field for e in raised.value.errors] == ["guardrails"]
