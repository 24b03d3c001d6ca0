"""Personal data that must never be published, in French and English formats, and what must pass."""

import pytest

from sablier.answer.guardrails import GuardrailPolicy, check_reply, find_personal_data

BLOCKED = [
    ("card", "Votre carte 4970 1234 5678 1234 est bloquée."),
    ("card", "Your card 4111-1111-1111-1111 was declined."),
    ("card", "Card 4111111111111111 on file"),
    ("card", "Amex 3782 822463 10005"),
    ("iban", "Virez sur FR76 3000 6000 0112 3456 7890 189 merci"),
    ("iban", "IBAN: FR7630006000011234567890189"),
    ("iban", "Pay to GB82 WEST 1234 5698 7654 32 please"),
    ("nir", "Mon numéro de sécu : 1 85 05 78 006 084 91"),
    ("nir", "NIR 185057800608491"),
    ("nir", "née en Corse : 2 85 05 2A 006 084 82"),
    ("nir", "née à Bastia : 2 85 05 2B 006 084 12"),
    ("ssn", "My SSN is 078-05-1120"),
    ("ssn", "SSN 123 45 6789"),
    ("sin", "Mon NAS est le 130 692 544"),
    ("sin", "SIN: 193-704-020"),
    ("sin", "sin 587123456"),
    ("phone", "Appelez-moi au 06 12 34 56 78"),
    ("phone", "Tél. 01.23.45.67.89"),
    ("phone", "joignable au +33 6 12 34 56 78"),
    ("phone", "ou au +33 (0)1 23 45 67 89"),
    ("phone", "ou au 0033612345678"),
    ("phone", "Call me at (514) 555-0199"),
    ("phone", "my cell is 514-555-0199."),
    ("phone", "reach me on +1 438 555 0142"),
    ("phone", "1-800-555-0199 is my line"),
    ("account", "mon numéro de compte 12345678"),
    ("account", "no de compte : 00123456789"),
    ("account", "account no. 00123456"),
    ("account", "Acct #987654321"),
    ("email", "écrivez à marie.dupont@example.com"),
    ("email", "email john_smith+bank@mail.example.co.uk today"),
    ("address", "Je vis au 12 rue de la Paix, 75002 Paris"),
    ("address", "3 bis, avenue Victor Hugo"),
    ("address", "livrée au 8 impasse des Lilas 69003 Lyon"),
    ("address", "au 45 boulevard de l'Hôpital"),
    ("address", "j'habite au 1234 rue Sainte-Catherine Ouest, H3B 1A7"),
    ("address", "I live at 1234 Main Street, 90210"),
    ("address", "ship to 350 Fifth Avenue"),
]


@pytest.mark.parametrize(("kind", "text"), BLOCKED)
def test_it_blocks_each_kind_of_personal_data(kind, text):
    assert [f.rule for f in find_personal_data(text)] == [f"personal_data.{kind}"]


@pytest.mark.parametrize(("kind", "text"), BLOCKED)
def test_it_blocks_the_whole_reply_and_points_at_the_match(kind, text):
    report = check_reply(text, GuardrailPolicy(banned_phrases=()))
    (finding,) = [f for f in report.findings if f.rule.startswith("personal_data")]
    assert report.blocked and finding.severity == "block"
    matched = text[finding.start : finding.end]
    assert len(finding.excerpt) == len(matched) and "*" in finding.excerpt


PASSING = [
    "Votre commande #A-48213 est partie.",
    "Your order 1234567 has shipped.",
    "order number 4111111111111111 is on its way",
    "commande n° 4111 1111 1111 1111 expédiée",
    "Numéro de suivi : 0612345678",
    "ticket 5145550199 opened",
    "Livraison prévue le 2026-11-27.",
    "Rendez-vous le 27/11/2026 à 14h30.",
    "Delivery on 11/27/2026 at 2:30 pm.",
    "le 27.11.2026 à 9 h 15",
    "Le total est de 1 250,00 $.",
    "The total is €1,250.00.",
    "Remboursement de 1 234 567,89 € effectué.",
    "Taux de 12,5 % cette année, 3.9% last year.",
    "Nous comptons 1 250 000 clients.",
    "Il reste 1 place de parking.",
    "We answered 3 questions in 2 minutes.",
    "Suivez @marie@mastodon.social pour les nouvelles.",
    "Carte 4970 1234 5678 1239 refusée.",  # fails the Luhn check
    "NIR 1 85 05 78 006 084 36",  # wrong key
    "SIN 046 454 286",  # the sample SIN: no real one starts with 0
    "SSN 666-12-3456 and 900-12-3456",  # never issued
    "Version 2.3.4, build 20261127",
    "Votre compte a été débloqué.",
    "Your account since 2019 is fine.",
]


@pytest.mark.parametrize("text", PASSING)
def test_it_lets_numbers_that_are_not_personal_data_pass(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("carte 4970 1234 5678 1234", "4970 **** **** 1234"),
        ("card 4111111111111111", "4111********1111"),
        ("FR76 3000 6000 0112 3456 7890 189", "FR76 **** **** **** **** ***0 189"),
        ("appelez le 06 12 34 56 78", "06 ** ** ** 78"),
        ("call (514) 555-0199", "(51*) ***-**99"),
        ("NAS 130 692 544", "13* *** *44"),
        ("compte 12345678", "12****78"),
        ("marie.dupont@example.com", "m***********@example.com"),
        ("12 rue de la Paix, 75002 Paris", "** rue de la Paix, ***** Paris"),
    ],
)
def test_it_masks_what_it_found(text, shown):
    (finding,) = find_personal_data(text)
    assert finding.excerpt == shown and shown in finding.message


def test_it_never_echoes_the_full_number():
    text = "Votre carte 4970 1234 5678 1234 est bloquée"
    (finding,) = check_reply(text, GuardrailPolicy()).findings
    assert "4970 1234 5678 1234" not in finding.to_json().values()
    assert "5678" not in finding.message and "5678" not in finding.excerpt


def test_it_says_what_matched_and_what_to_do():
    (finding,) = find_personal_data("Votre carte 4970 1234 5678 1234 est bloquée")
    assert finding.message == (
        "card number 4970 **** **** 1234 must never be published: "
        "remove it and ask the customer to write privately"
    )
    assert (finding.start, finding.end) == (12, 31)


ALLOWED = ("+1 800 555-0100", "aide@banque.example", "10 rue de la Paix, 75002 Paris", "01 23 45 67 89")


@pytest.mark.parametrize(
    "text",
    [
        "Appelez-nous au 1-800-555-0100.",
        "Call us at (800) 555-0100.",
        "Écrivez à AIDE@banque.example.",
        "Passez au 10, rue de la Paix 75002 PARIS.",
        "Passez au 10 rue de la Paix.",
        "Notre standard : +33 1 23 45 67 89",
    ],
)
def test_it_lets_the_organisations_own_contacts_pass(text):
    assert find_personal_data(text, ALLOWED) == []


def test_it_lets_an_allowed_donation_iban_pass_but_not_another():
    text = "Dons : FR76 3000 6000 0112 3456 7890 189. Pas sur GB82 WEST 1234 5698 7654 32."
    found = find_personal_data(text, ["FR7630006000011234567890189"])
    assert [f.rule for f in found] == ["personal_data.iban"] and found[0].excerpt.startswith("GB82")


def test_it_still_blocks_a_customers_contact_next_to_the_allowed_one():
    text = "Appelez le 1-800-555-0100, pas le 514-555-0199; écrivez à aide@banque.example, pas à x@y.com"
    excerpts = [f.excerpt for f in find_personal_data(text, ALLOWED)]
    assert excerpts == ["51*-***-**99", "x@y.com"]


def test_it_reports_several_findings_in_reading_order():
    text = "M. Tremblay, 514-555-0199, j.tremblay@example.com, NAS 130 692 544"
    assert [f.rule for f in find_personal_data(text)] == [
        "personal_data.phone",
        "personal_data.email",
        "personal_data.sin",
    ]
