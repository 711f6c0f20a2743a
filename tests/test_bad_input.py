"""Bad questions get a clear message or a sensible answer, never a traceback."""

import pytest


@pytest.mark.parametrize(
    "question, expect",
    [("", "Stel een vraag"), ("   \n\t ", "Stel een vraag"), ("x" * 10_000, "te lang"), ("?!?!... ;;", "geen woorden")],
)
def test_unusable_questions_get_a_message(bot, question, expect):
    r = bot.ask(question)
    assert not r.answered
    assert expect in r.answer and r.notice
    assert bot.search(question) == []


def test_english_question_gets_a_dutch_hint(bot):
    r = bot.ask("What are the opening hours of the city hall?")
    assert "Nederlands" in r.notice
    assert not r.answered


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert('x')</script> Wat is Kansrijke Start?",
        "'; DROP TABLE passages; -- Wat is de status van motie 2106-18?",
        "SELECT * FROM motions WHERE number = '2106-18'",
    ],
)
def test_html_and_sql_looking_questions_are_plain_text(bot, question):
    r = bot.ask(question)
    assert isinstance(r.answer, str) and r.answer
    assert "<script>" not in r.answer  # questions are never echoed into the answer
    if "2106-18" in question:
        assert any("2106-18" in c.text for c in r.citations)


def test_non_string_and_odd_history_do_not_crash(bot):
    assert not bot.ask(None).answered
    r = bot.ask(
        "En wanneer is die afgedaan?", history=[("Wat is de status van motie Burgervoogd?", "…"), {"role": "user"}, "rommel"]
    )
    assert isinstance(r.answer, str)


@pytest.mark.parametrize("question", ["hoeveel?", "Wat?", "wie", "en hoeveel?", "hoeveel kost?"])
def test_a_question_word_alone_gets_an_answer_of_some_kind(bot, question):
    # One-word clauses reach the question analysis (bare subjects, verb slots) with nothing after the question word.
    r = bot.ask(question)
    assert r.kind in {"answer", "partial", "not_found"} and isinstance(r.answer, str) and r.answer
