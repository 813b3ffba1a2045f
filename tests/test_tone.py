"""The shared tone word list: what it catches, and what it lets through."""

import pytest

from hechting.tone import BLAMING_PHRASES, FORBIDDEN_TERMS, find_forbidden_terms


def test_it_finds_a_diagnostic_word_in_dutch():
    assert find_forbidden_terms("Dit wijst op een stoornis.") == ["stoornis"]


def test_it_finds_a_label_for_the_child_in_english():
    assert find_forbidden_terms("Your child seems insecurely attached.") == ["insecurely attached"]


def test_it_ignores_case():
    assert find_forbidden_terms("DIAGNOSE") == ["diagnose"]


def test_it_finds_a_phrase_broken_over_lines():
    assert find_forbidden_terms("Hij is onveilig\n   gehecht.") == ["onveilig gehecht"]


def test_it_finds_a_percentage_sign_right_after_a_number():
    assert find_forbidden_terms("60% van je momenten") == ["%"]


def test_it_lists_each_term_once_in_the_order_of_the_list():
    text = "Score: failure. Another score, another failure."
    assert find_forbidden_terms(text) == ["score", "failure"]  # Dutch terms come first


def test_it_matches_whole_words_only():
    assert find_forbidden_terms("We keep the scoreboard out of it, and the diagnoses apart.") == []


def test_it_lets_the_warm_sentences_of_the_ux_brief_through():
    sentences = [
        "Je schreef drie momenten op waarin jullie weer verbonden raakten.",
        "Het was een stille week in je dagboek. Welkom terug.",
        "Niet elk moment hoeft goed te gaan. Herstel is wat telt.",
        "You noted three moments when you reconnected.",
        "A quiet week in your journal. Welcome back.",
        "Not every moment has to go well. Repair is what counts.",
    ]
    for sentence in sentences:
        assert find_forbidden_terms(sentence) == [], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "60% van je momenten waren goed.",
        "Je schreef minder dan vorige week.",
        "Other parents noted more moments.",
        "Your score this week is 7.",
    ],
)
def test_it_catches_the_donts_of_the_ux_brief(sentence):
    assert find_forbidden_terms(sentence) != []


def test_the_list_covers_both_languages_and_the_terms_named_in_the_issue():
    assert set(FORBIDDEN_TERMS) == {"nl", "en"}
    for term in ("stoornis", "diagnose", "score", "onveilig gehecht"):
        assert term in FORBIDDEN_TERMS["nl"]
    for term in ("failure", "disorder", "diagnosis", "score"):
        assert term in FORBIDDEN_TERMS["en"]


def test_it_checks_another_list_when_given_one():
    text = "Het is niet jouw schuld."
    assert find_forbidden_terms(text) == []
    assert find_forbidden_terms(text, BLAMING_PHRASES) == ["jouw schuld"]
    assert find_forbidden_terms("nothing to see", ["see"]) == ["see"]
