"""Tests for answer-level checking (`check_answer`, connecting phrases, `faithfulness`)."""

from verify_samples import INKOOP, REGIO

from assistant.verify import (
    SentenceCheck,
    attribution_filter,
    check_answer,
    default_allow_prefix,
    faithfulness,
    strip_citations,
    titles_filter,
)


def test_strip_citations():
    assert strip_citations("Tekst [1][3].") == ("Tekst.", [1, 3])
    assert strip_citations("Tekst [1, 3].") == ("Tekst.", [1, 3])
    assert strip_citations("Tekst [2] en meer [2][1].") == ("Tekst en meer.", [2, 1])
    assert strip_citations("Geen bron.") == ("Geen bron.", [])


def _spans_ok(answer, checks):
    for c in checks:
        assert answer[c.start : c.end] == c.sentence, (c.start, c.end, c.sentence)


def test_check_answer_with_markers_after_the_full_stop():
    answer = (
        "Van 2015 t/m 2019 is de jeugdhulp prestatiegericht ingekocht. [1] "
        "Vanaf 2020 start de regio met een resultaatgericht stelsel. [1]"
    )
    checks = check_answer(answer, {1: INKOOP})
    assert [c.citations for c in checks] == [[1], [1]]
    assert all(isinstance(c, SentenceCheck) and c.support.supported for c in checks)
    _spans_ok(answer, checks)
    assert faithfulness(checks) == 1.0


def test_check_answer_missing_and_unknown_markers_and_union_of_passages():
    answer = (
        "Van 2015 t/m 2019 is de jeugdhulp prestatiegericht ingekocht [1]. "
        "Dit is een zin zonder bron. "
        "Gemeenten werken met elkaar samen in 42 jeugdregio’s [7]. "
        "Gemeenten werken samen in 42 jeugdregio’s en vanaf 2020 start de regio met een resultaatgericht stelsel [1][2]."
    )
    checks = check_answer(answer, {1: INKOOP, 2: REGIO})
    _spans_ok(answer, checks)
    assert len(checks) == 4
    assert checks[0].support.supported
    assert not checks[1].support.supported and checks[1].support.reasons == ("geen bronvermelding",)
    assert not checks[2].support.supported and "bron [7] bestaat niet" in checks[2].support.reasons
    assert checks[3].citations == [1, 2] and checks[3].support.supported  # needs both passages
    assert not check_answer(answer.split(". ")[3], {1: INKOOP})[0].support.supported
    assert faithfulness(checks) == 0.5


RAADSBESLUIT = "Raadsbesluit Project Hervorming Specialistische Jeugdhulp Zoetermeer (2024-086688)"


def test_check_answer_allows_connecting_phrases_and_headings():
    answer = (
        "Volgens het Actieplan (april 2019):\n"
        "Van 2015 t/m 2019 is de jeugdhulp prestatiegericht ingekocht. [1]\n"
        f"Volgens {RAADSBESLUIT} (7 oktober 2024): "
        "Vanaf 2020 start de regio met een resultaatgericht stelsel. [1]"
    )
    # titles as the index holds them (Index.documents[doc]["title"])
    checks = check_answer(answer, {1: INKOOP}, titles=[RAADSBESLUIT, "Update Actieplan Jeugd"])
    _spans_ok(answer, checks)
    assert [c.is_claim for c in checks] == [False, True, False, True]
    assert checks[0].sentence == "Volgens het Actieplan (april 2019):"
    assert faithfulness(checks) == 1.0
    # Without titles only the generic pattern applies: a title with digits is then a claim without source.
    checks = check_answer(answer, {1: INKOOP})
    assert [c.is_claim for c in checks] == [False, True, True]
    assert not checks[2].support.supported and faithfulness(checks) == 0.5


def test_titles_filter_accepts_a_known_title_with_any_date_but_nothing_added():
    allow = titles_filter([RAADSBESLUIT])
    assert allow(f"Volgens {RAADSBESLUIT} (7 oktober 2024):")
    assert allow(f"**{RAADSBESLUIT}**")
    assert allow("Volgens het Actieplan (april 2019):")  # the generic pattern still holds
    assert not default_allow_prefix(f"Volgens {RAADSBESLUIT}:")
    assert not allow(f"Volgens {RAADSBESLUIT} is de motie afgedaan:")
    assert not allow(f"Volgens {RAADSBESLUIT} (nooit):")
    assert not titles_filter([])(f"Volgens {RAADSBESLUIT}:")


def test_check_answer_reads_every_marker_form():
    sentence = "Gemeenten werken samen in 42 jeugdregio’s en vanaf 2020 start de regio met een resultaatgericht stelsel"
    for marker, cited in [("[1][2]", [1, 2]), ("[1, 2]", [1, 2]), ("[1;2]", [1, 2]), ("[1-2]", [1, 2]), ("[2–1]", [2])]:
        checks = check_answer(f"{sentence} {marker}.", {1: INKOOP, 2: REGIO})
        assert [c.citations for c in checks] == [cited], marker
        assert checks[0].support.supported == (cited == [1, 2]), marker
    checks = check_answer(f"{sentence} [1-3].", {1: INKOOP, 2: REGIO})
    assert checks[0].citations == [1, 2, 3] and checks[0].support.reasons[0] == "bron [3] bestaat niet"


def test_prefix_with_content_or_numbers_is_not_allowed():
    for prefix in [
        "Volgens het Actieplan stijgen de kosten met 10%:",
        "Volgens het Actieplan is het niet zo:",
        "De kosten stijgen:",
        "Volgens het Actieplan (2019) is er € 3 mln. tekort:",
    ]:
        assert not default_allow_prefix(prefix), prefix
        checks = check_answer(prefix + "\nVan 2015 t/m 2019 is de jeugdhulp prestatiegericht ingekocht. [1]", {1: INKOOP})
        assert checks[0].is_claim and not checks[0].support.supported


def test_custom_allow_prefix_is_used():
    strict = attribution_filter(["Update Actieplan Jeugd (2022)"])
    assert strict("Volgens Update Actieplan Jeugd (2022):")
    assert not strict("Volgens Update Actieplan Jeugd (2023):")
    answer = "Volgens Update Actieplan Jeugd (2023):\nVan 2015 t/m 2019 is de jeugdhulp prestatiegericht ingekocht. [1]"
    checks = check_answer(answer, {1: INKOOP}, allow_prefix=strict)
    assert checks[0].is_claim and not checks[0].support.supported
    checks = check_answer(answer, {1: INKOOP}, allow_prefix=lambda text: True)
    assert not checks[0].is_claim


def test_faithfulness_undefined_without_sentences():
    assert faithfulness([]) is None
    assert faithfulness(check_answer("", {1: INKOOP})) is None
    assert faithfulness(check_answer("Volgens het Actieplan (april 2019):", {1: INKOOP})) is None
    assert faithfulness(check_answer("Een zin zonder bron.", {})) == 0.0
