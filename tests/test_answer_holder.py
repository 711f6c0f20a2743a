"""Whose view is asked ("Wat vindt de adviesraad van …?"), on hand-made passages (answer/holder.py)."""

from assistant.answer import Answerer
from assistant.answer.holder import holder_phrase, named_holder
from assistant.model import Passage


def _p(i: int, text: str, score: float) -> Passage:
    return Passage(f"besluit#{i}", "besluit", "Raadsbesluit wijkteams", "2024-10", "besluit", None, "", "", text, score=score)


INVOLVED = _p(1, "Bij de uitwerking van de wijkteams wordt de adviesraad sociaal domein betrokken.", 0.9)
ADVISED = _p(2, "De adviesraad sociaal domein adviseert positief over de wijkteams, mits de wachttijden dalen.", 0.8)
FILLER = [_p(10 + k, f"De gemeente heeft in {2000 + k} de begroting voor de bibliotheek vastgesteld.", 0.1) for k in range(4)]
QUESTION = "wat vindt de adviesraad sociaal domein van de wijkteams?"


def opinion_holder(question: str) -> str:
    """Whose view is asked, as `Question.holder` and `named_holder` read it in the answerer."""
    return named_holder(holder_phrase(question))


def _ask(question: str, ranked: list[Passage]):
    return Answerer(ranked + FILLER).compose(question, question, ranked + FILLER)


def test_the_holder_is_the_phrase_between_the_opinion_verb_and_its_object():
    assert opinion_holder(QUESTION) == "de adviesraad sociaal domein"
    assert opinion_holder("Hoe reageerde de wethouder op de motie?") == "de wethouder"
    assert opinion_holder("Wat vindt u van de wijkteams?") == ""  # the assistant's own opinion: question.OPINION
    assert opinion_holder("Wat kost de inzet van de wijkteams?") == ""
    # "wat vonden X belangrijk toen …": a predicate adjective or a clause closes the holder
    assert opinion_holder("wat vonden de aanbieders belangrijk toen het plan van 2019 gemaakt werd?") == "de aanbieders"
    # "reageren op": a "van" before the "op" belongs to the holder, whose words a view must then name
    asked = "hoe reageerden de medewerkers van jeugd- en gezinshulp op de plannen?"
    assert opinion_holder(asked) == "de medewerkers van jeugd- en gezinshulp"
    assert holder_phrase("hoe reageerde het college van den helder op de vragen?") == "het college van den helder"


def test_a_passage_that_only_mentions_the_holder_gives_no_view():
    r = _ask(QUESTION, [INVOLVED])
    assert r.kind == "partial"
    assert r.answer.split("\n")[0] == (
        "De documenten noemen wijkteams, maar niets over het oordeel van de adviesraad sociaal domein."
    )
    answered = _ask(QUESTION, [INVOLVED, ADVISED])
    assert answered.kind == "answer"
    assert "adviseert positief" in answered.answer


def test_the_view_leads_the_answer():
    both = _p(
        3,
        "Bij de uitwerking van de wijkteams wordt de adviesraad sociaal domein nauw betrokken. "
        "Uit de evaluatie bleek dat de adviesraad sociaal domein tevreden is.",
        0.9,
    )
    r = _ask(QUESTION, [both])
    assert r.kind == "answer"
    first = r.answer.split("\n")[1]  # after the "Volgens …" heading
    assert first.startswith("Uit de evaluatie bleek dat de adviesraad sociaal domein tevreden is."), r.answer


def test_a_holder_the_documents_never_mention_gave_no_view_in_them():
    q = "hoe reageerde het nederlands jeugdinstituut op de wijkteams?"
    assert holder_phrase(q) == "het nederlands jeugdinstituut"
    jeugd = _p(4, "De jeugd in de wijken krijgt hulp van de wijkteams, ook in Nederlands en Engels.", 0.7)
    assert _ask(q, [INVOLVED, jeugd]).kind == "not_found"  # "jeugdinstituut": only its first part occurs
    assert _ask("wat vindt de adviesraad sociaal domein van de wijkteams?", [INVOLVED, ADVISED]).kind == "answer"


def test_in_the_holder_s_own_document_a_view_needs_no_name():
    """ "hoe reageerde den helder op …": Den Helder's decision list gives its view without repeating its name;
    a document of someone else that only mentions Den Helder does not."""
    from dataclasses import replace

    q = "hoe reageerde den helder op de begroting van de veiligheidsregio?"
    decided = _p(5, "De raad geeft aan in te stemmen met de begroting van de veiligheidsregio, met een voorbehoud.", 0.9)
    own = replace(decided, title="Besluitenlijst raad", organisation="Gemeente Den Helder")
    assert _ask(q, [own]).kind == "answer"
    text = "Den Helder ontving de begroting van de veiligheidsregio. De veiligheidsregio geeft aan dat de begroting sluit."
    other = replace(own, text=text, title="Brief van de veiligheidsregio", organisation="Veiligheidsregio Noord-Holland")
    assert _ask(q, [other]).kind == "partial"


def test_evaluative_words_give_a_view_and_a_filler_ends_the_holder():
    from assistant.answer.holder import gives_view

    assert opinion_holder("wat vindt de g20 eigenlijk van kernwapens?") == "de g20"
    assert gives_view("Ook noemt de G20 het gebruik van kernwapens ontoelaatbaar.", "de g20")
    assert gives_view("De G20 verwelkomt alle initiatieven voor vrede.", "de g20")
    assert not gives_view("De G20 kwam in New Delhi bijeen.", "de g20")
