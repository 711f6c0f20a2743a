"""Dictionary forms (text.lemma, answer/evidence.py): a question's irregular verb form is found by its
dictionary form ("kregen" where the documents write "krijgt"), and a subject word the corpus uses in no form
at all ("paspoort") means nothing in it is about the question, unless it is a verb form ("opgeheven"),
which says what is asked about a subject the documents may well discuss."""

from __future__ import annotations

from helpers import passage

from assistant.answer import Answerer
from assistant.answer.evidence import UNHEARD_SHARE, Evidence
from assistant.text import lemma, verb_form

DOCS = [
    passage("plan", "Elke sportvereniging kan krijgen wat nodig is; de vereniging krijgt subsidie voor jeugdleden.", i=1),
    passage("plan", "Gezinnen krijgen hulp van het wijkteam en krijgen een vaste contactpersoon.", i=2),
    passage("plan", "Jongeren krijgen begeleiding naar werk; ook ouders krijgen advies.", i=3),
    passage("plan", "De kosten van de jeugdhulp in de gemeente stijgen elk jaar.", i=4),
    passage("plan", "De Taskforce Jeugd adviseerde de gemeente over de inkoop van jeugdhulp.", i=5),
    passage("plan", "Het nieuwe beleidsplan van de gemeente gaat over preventie.", i=6),
    passage("plan", "De gemeente betaalt de kosten van nieuwe voorzieningen uit het budget.", i=7),
    passage("plan", "De kosten van de nieuwe wijkteams vallen lager uit dan de gemeente dacht.", i=8),
    passage("plan", "Nieuwe afspraken met aanbieders houden de kosten voor de gemeente beheersbaar.", i=9),
]


def test_dictionary_forms_and_verb_forms():
    assert lemma("kregen") == "krijgen" and lemma("hoefden") == "hoeven" and lemma("kinderen") == "kind"
    assert verb_form("opgeheven") and verb_form("kregen") and verb_form("adviseert")
    assert not verb_form("paspoort") and not verb_form("kinderen") and not verb_form("krijgen")
    assert lemma("") == "" and not verb_form("")  # simplemma itself raises on an empty string


def test_an_irregular_form_is_found_by_its_dictionary_form_at_its_weight():
    ev = Evidence(DOCS)
    assert ev.mentions("kregen")  # the corpus writes "krijgt", "krijgen"
    assert ev.coverage(["kregen", "subsidie"], "De vereniging krijgt subsidie.") == 1.0
    # "kregen" weighs what the frequent "krijgen" weighs here, not what a word the corpus lacks would weigh
    assert ev.coverage(["kregen", "jeugdleden"], "Er zijn veel jeugdleden.") > 0.5


def test_unheard_subject_words_leave_verb_forms_and_numbers_aside():
    ev = Evidence(DOCS)
    assert ev.unheard(["paspoort", "opgeheven", "2019", "gemeente", "kregen"]) == ["paspoort"]
    assert ev.unheard(["paspoort"], {"paspoort": {"identiteitskaart", "gemeente"}}) == []  # a heard synonym


def test_a_subject_the_corpus_never_names_is_not_found_and_a_verb_form_is_no_such_subject():
    q = "hoeveel kost een paspoort bij de gemeente?"
    r = Answerer(DOCS).compose(q, q, DOCS)
    assert r.kind == "not_found", r.answer
    q = "wanneer is de taskforce jeugd opgeheven?"
    r = Answerer(DOCS).compose(q, q, [DOCS[4], *DOCS[:4]])
    assert r.kind == "partial", r.answer


def test_an_unheard_word_that_weighs_little_in_the_subject_leaves_the_question_partial():
    ev = Evidence(DOCS)
    words = ["taskforce", "wijkteam", "contactpersoon", "vereniging", "panden"]
    assert ev.unheard(words) == ["panden"] and ev.share(["panden"], words) < UNHEARD_SHARE
    assert ev.share(["paspoort"], ["kost", "paspoort", "gemeente"]) >= UNHEARD_SHARE
    q = "hoeveel panden heeft de taskforce jeugd voor de inkoop van jeugdhulp?"
    r = Answerer(DOCS).compose(q, q, DOCS)
    assert r.kind == "partial", r.answer
