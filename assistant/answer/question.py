"""Question analysis: what a Dutch question asks for, and follow-ups resolved against the chat history.

Rules, not a model (no Dutch question classifier ships offline): the patterns below name the kind of
answer a question wants (an amount, a percentage, a count, a date, a development over time), and a
follow-up ("En in 2022?") borrows the subject of the previous turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import MOTION_NUMBER
from ..text import MONTHS, content_words, tokenize, verb_form
from .holder import holder_phrase
from .outcome import OUTCOME_QUESTION

# "Sinds wanneer …?" asks a date, not a development (measured: the dated sentence then leads).
TIMELINE = re.compile(
    r"\b(ontwikkel\w*|verloop|door de jaren|in de loop|tijdlijn|veranderd|veranderingen|achtereenvolgens|"
    r"geschiedenis|evolutie|van (?:19|20)\d\d tot|sinds(?:\w+|(?!\s+wanneer\b))|terechtgekomen|inmiddels|stand van zaken|"
    r"hoe st(?:aat|ond) het|nog steeds|ooit|hoe is .* gegaan)\b",
    re.IGNORECASE,
)
FOLLOWUP_START = re.compile(r"^(en|maar|ook|dus|en wat|en hoe|en wanneer|waarom dan)\b", re.IGNORECASE)
QUANTITY = re.compile(r"\b(hoeveel|hoe (?:hoog|groot|veel)|welk bedrag|wat kost(?:te|en)?)\b", re.I)
MONEY_Q = re.compile(r"\b(wat kost(?:te|en)?|hoeveel geld|welk bedrag|in euro'?s|hoeveel euro|hoe duur)\b")
MONEY = re.compile(r"€|\beuro\b|\bmln\b|\bmld\b|\bmiljoen\b|\bmiljard\b", re.I)
PERCENT_Q = re.compile(r"\b(welk percentage|hoeveel procent|welk deel|welk aandeel)\b")
WHEN = re.compile(r"\b(wanneer|op welke datum|in welk jaar|per wanneer|welke datum)\b", re.I)
NUMBER_WORDS = frozenset(
    "twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig vijftig honderd duizend "
    "miljoen miljard half helft derde kwart procent tweeënhalf".split()
)
DATE_WORDS = frozenset(MONTHS) | {"kwartaal", "zomer", "najaar", "voorjaar", "begin", "eind", "medio", "jaar"}
ANAPHORA = frozenset("die dat deze dit hij zij ze het hem hun daar daarvan ervan hiervan daarmee dezelfde ervoor daarna".split())


def is_timeline(question: str) -> bool:
    """A question about how something developed ("Hoe stond het daar in 2022 mee?")."""
    return bool(TIMELINE.search(question))


def is_followup(question: str) -> bool:
    words = tokenize(question)
    return bool(FOLLOWUP_START.match(question.strip())) or (
        len(content_words(question)) <= 3 and any(w in ANAPHORA for w in words)
    )


# What a follow-up may take from the history. The question itself is limited to 1,000 characters;
# without these bounds a history item could smuggle a huge text into the search query (issue 13).
HISTORY_TURNS = 6  # only the last turns can be what "en daarna?" refers to
HISTORY_CHARS = 2_000  # of the previous question, and of the previous answer for motion numbers
CARRIED_WORDS = 12  # content words carried into the search query


def resolve_followup(question: str, history: list | None) -> str:
    """Carry the subject of the previous turn into a follow-up question, without an LLM."""
    turns = _turns(history)[-HISTORY_TURNS:]
    if not turns or not is_followup(question):
        return question
    last_user = next((t["content"] for t in reversed(turns) if t["role"] == "user"), "")[:HISTORY_CHARS]
    last_answer = next((t["content"] for t in reversed(turns) if t["role"] == "assistant"), "")[:HISTORY_CHARS]
    carried = list(dict.fromkeys(content_words(last_user)))[:CARRIED_WORDS]
    carried += [n for n in dict.fromkeys(MOTION_NUMBER.findall(last_answer)) if n not in carried][:3]
    return f"{question} {' '.join(carried)}".strip()


def interpretation(question: str, search_query: str) -> str:
    """How a follow-up was read, for the user ("Opgevat als: …"); "" when the question stood alone."""
    if not search_query or search_query.strip() == question.strip() or not search_query.startswith(question):
        return ""
    return f"{question.strip()} (over: {search_query[len(question) :].strip()})"


def _turns(history) -> list[dict]:
    """The history as {"role", "content"} dicts; items of another shape or role are ignored."""
    out = []
    if not isinstance(history, (list, tuple)):
        return out
    for item in list(history)[-4 * HISTORY_TURNS :]:
        if isinstance(item, dict) and "role" in item:
            content = item.get("content")
            if isinstance(content, list):  # Gradio may send content parts
                content = " ".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
            if item["role"] in ("user", "assistant"):
                out.append({"role": item["role"], "content": str(content or "")[: 4 * HISTORY_CHARS]})
        elif isinstance(item, (list, tuple)) and len(item) == 2:  # (user, assistant) pairs
            out += [
                {"role": "user", "content": str(item[0] or "")[: 4 * HISTORY_CHARS]},
                {"role": "assistant", "content": str(item[1] or "")[: 4 * HISTORY_CHARS]},
            ]
    return out


# ---- what is asked --------------------------------------------------------------------------------

# Ordered: the first matching type wins ("Hoeveel kost …" is an amount, not a count).
ASKED_TYPES: list[tuple[str, re.Pattern]] = [
    (
        "percentage",
        re.compile(r"\b(welk(?:e)? percentage|hoeveel procent|welk deel|welk aandeel|hoe groot is het aandeel)\b", re.I),
    ),
    (
        "bedrag",
        re.compile(
            r"\b(wat kost(?:te|en)?|wat (?:heeft|hebben) .{1,60} gekost|wat (?:mag|mocht|mogen|gaat|zal|zou|moet|moest) .{1,90}(?<!\bde)(?<!\bhet)(?<!\bdie) kosten\s*(?:\?|$)|hoeveel (?:geld|euro)|welk bedrag|in euro'?s|hoe duur|hoe hoog (?:is|was|zijn|waren) "
            r"(?:het|de) (?:budget|bedrag|kosten|subsidie|tekort|overschrijding|besparing|bezuiniging|boete|tarief|tarieven)"
            r"|hoeveel (?:bezuinig|bespaar|bespaart|bespaard|kost|geeft|krijgt|betaalt|budget|subsidie|minder budget|tekort))",
            re.I,
        ),
    ),
    ("getal", re.compile(r"\b(hoeveel|hoe (?:hoog|groot|veel)|welk aantal)\b", re.I)),
    ("datum", re.compile(r"\b(wanneer|op welke datum|in welk jaar|per wanneer|welke datum|tot wanneer)\b", re.I)),
    ("termijn", re.compile(r"\bhoe ?lang\b", re.I)),
    # "Hoe hard stijgen de kosten?": a rate, usually a percentage.
    ("tempo", re.compile(r"\bhoe (?:hard|snel|sterk) (?:stij|groei|daal|daalt|dalen|neem|nemen|loopt|lopen)\w*", re.I)),
    (
        "stemming",
        re.compile(
            r"\b(?:stemde|stemden|gestemd|stemmen)\b.{0,60}\b(?:tegen|voor)\b|\b(?:waren|was) .{0,60}\btegen\b|"
            r"\btegenstemmers\b|\bhoe is er gestemd\b|\bwie stemde\w*\b",
            re.I,
        ),
    ),
    (
        "persoon",
        re.compile(
            r"^\s*(wie|door wie|van wie|met wie)\b|\bwelke (?:organisatie|partij|wethouder|persoon|instantie|"
            r"instanties|bureau|fractie|fracties|partijen|organisaties|ziekenhuis|gemeente)\b|\bwelk (?:bureau|ziekenhuis|"
            r"adviesbureau|bedrijf|orgaan)\b",
            re.I,
        ),
    ),
    ("uitkomst", OUTCOME_QUESTION),
    ("vergelijking", re.compile(r"\b(verschil\w*|vergelijk\w*|vergeleken|versus|anders dan|ten opzichte van|t\.o\.v\.)\b", re.I)),
    (
        "besluit",
        re.compile(
            r"\b(wat (?:besl(?:oot|oten|uit)|heeft .{0,40}besloten)|welk(?:e)? besluit\w*|besluitpunt\w*|beslispunt\w*|"
            r"wat (?:heeft|hebben) .{0,40}(?:vastgesteld|aangenomen))\b",
            re.I,
        ),
    ),
    (
        "status",
        re.compile(
            r"\b(status|stand van zaken|afgedaan|aangenomen|verworpen|aangehouden|ingetrokken|hoe staat het|uitgevoerd|"
            r"wat is er (?:met|van) .{1,80} (?:gebeurd|gedaan|terechtgekomen|geworden))\b",
            re.I,
        ),
    ),
    ("ontwikkeling", TIMELINE),
    ("reden", re.compile(r"^\s*waarom\b|\b(om welke reden|wat is de reden|waardoor|met welk doel|waarvoor)\b", re.I)),
    ("werkwijze", re.compile(r"^\s*hoe\b|\b(op welke manier|op welke wijze|werkwijze)\b", re.I)),
    (
        "definitie",
        re.compile(
            r"^\s*(wat (?:is|zijn|betekent|houdt)|wat wordt (?:er )?(?:verstaan|bedoeld)|wat (?:bedoel(?:t|en|de|den)) .{1,40} met)\b",
            re.I,
        ),
    ),
    ("lijst", re.compile(r"^\s*(welke|noem|wat zijn)\b", re.I)),
]
# Opinion or advice: the assistant reports what documents say and never advises (issue: bad input).
OPINION = re.compile(
    r"\b(wat (?:moet|zou|kan) ik (?:\w+ )?(?:stemmen|kiezen|doen|vinden)|wat vind(?:t|en)? (?:u|jij|je)|wat is (?:uw|jouw|je) "
    r"(?:mening|advies|oordeel)|moet ik (?:voor|tegen)|(?:zal|moet|zou) ik .{0,40}(?:stemmen|steunen)|raad (?:je|u) .{0,20}aan|"
    r"wat (?:adviseer|raad) (?:je|u)|is het (?:verstandig|slim|een goed idee)|wat is beter|"
    r"(?:vind|vindt) (?:u|jij|je) (?:dat|het))\b",
    re.I,
)
# Words that frame a question rather than name its subject ("gebeurd", "sinds", "huidige"; the noun naming the
# kind of answer: "van welke datum", "welk bedrag"): never the subject a partial answer names.
FRAME_WORDS = frozenset(
    """
    gegaan gaan ging gingen gebeurd gebeuren gedaan geregeld verlopen verloopt ontwikkeld ontwikkelde ontwikkelt ontwikkeling
    ontwikkelingen veranderd verandering veranderingen sinds inmiddels nog steeds ooit tijdlijn verloop terechtgekomen
    verschil verschillen vergelijk vergeleken besloot besloten besluit besliste staat stand zaken status
    precies ongeveer huidige huidig tegenwoordig nu momenteel eigenlijk waarom reden hoeveel welke welk
    volgens lang duurt duurde vindt vinden vond denkt vanaf tijdens vanuit nou
    opgeleverd oplevert opleveren levert leverde uitkomst uitkomsten resultaat resultaten
    datum bedrag aantal percentage naam
    """.split()
)
# Capitalised words that name nothing in particular: a sentence start, a month, titles and roles.
_NOT_NAMES = frozenset(MONTHS) | frozenset(
    "ik wij we u jij je hoe wat wie welke welk waar wanneer waarom hoeveel is zijn de het een en of in op van "
    "voor met over bij wordt worden kan kunnen moet moeten mag heeft hebben had was waren zal zullen zou "
    "en maar ook dus nog raad college gemeente gemeenten wethouder burgemeester minister kabinet rijk "
    "motie moties besluit raadsbesluit jeugd jeugdhulp".split()
)
_NAME = re.compile(r"(?<![\w-])([A-ZÀ-Ý][\w'’-]*(?:[ -](?:[A-ZÀ-Ý][\w'’-]*|van|de|der|den|aan|op|ter))*)")
# The identifier after "motie", "amendement", "toezegging" … as a council writes it: "Q.7", "K.3", "M12".
LABEL = re.compile(
    r"\b(?:motie|amendement|toezegging|agendapunt|besluitpunt)\s+(?:nr\.?\s*|nummer\s+)?"
    r"([A-Z]{1,3}[.-]?\d{1,4}[A-Za-z]?|\d{1,4}(?:-\d{1,3})?[A-Za-z]?)\b"
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_ACRONYM = re.compile(r"\b[A-Z]{2,}[a-z]?\b")


@dataclass
class Question:
    """What a question asks for (see `analyse`)."""

    text: str
    query: str  # the question as resolved against the history (what is searched)
    asked: str  # one of the ASKED_TYPES names, or "overig"
    # Content words looked for in the evidence. Leaving the frame words out of them raised dev (seed
    # facts 0.585 -> 0.600, realdocs 0.385 -> 0.462) but cost one seed test question: not kept.
    terms: list[str] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)  # the content words without frame words: what it is about
    entities: list[str] = field(default_factory=list)  # names, places, organisations, as written
    years: list[str] = field(default_factory=list)
    motions: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # identifiers of a motion, amendment, item ("Q.7", "K.3")
    opinion: bool = False
    timeline: bool = False
    comparison: bool = False
    verbs: list[str] = field(default_factory=list)  # words in a verb slot of the question (`verb_slots`)
    bare: list[str] = field(default_factory=list)  # lower-case names: in the subject slot, acronyms (`bare_subjects`, `acronyms`)
    objects: list[str] = field(default_factory=list)  # what it is about after aan/tegen/over (`topic_objects`)
    holder: str = ""  # whose view is asked, any article (`holder.holder_phrase`)
    named: list[str] = field(default_factory=list)  # a programme or project named in lower case (`named_programmes`)


# "Hoeveel bedroeg het budget?" asks for an amount although "hoeveel" usually asks for a count.
MONEY_WORD = re.compile(
    r"\b\w*(budget|kost|geld|euro|subsidie|investering|bezuinig|bespar|tekort|overschrijding|"
    r"bedr(?:aagt|oeg|ag)|tarie[fv]|boete|vergoed)\w*\b",
    re.I,
)


def asked_type(question: str) -> str:
    for name, pattern in ASKED_TYPES:
        if pattern.search(question):
            return "bedrag" if name == "getal" and MONEY_WORD.search(question) else name
    return "overig"


def named_entities(question: str) -> list[str]:
    """Names the answer must be about: capitalised words and phrases after the first word ("burgemeester
    van Amsterdam" -> Amsterdam; "JONG doet mee!"), and acronyms. Rules, not a tagger: none ships offline."""
    q = question.strip()
    # The first word of each sentence is capitalised because it starts the sentence.
    starts = {m.start(1) for m in re.finditer(r"(?:^|[.?!:]\s+)\W*(\w)", q)}
    out: list[str] = []
    for m in _NAME.finditer(q):
        words = [w for w in m.group(1).strip().split(" ") if w]
        if m.start() in starts:
            words = words[1:]
            while words and not words[0][0].isupper():
                words = words[1:]
        while words and words[-1].lower() in {"van", "de", "der", "den", "aan", "op", "ter"}:
            words.pop()
        name = " ".join(words).strip("!?.,'’\"‘")
        if name and name.lower() not in _NOT_NAMES and not name.isdigit():
            out.append(name)
    for m in _ACRONYM.finditer(q):
        if not any(m.group(0) in e for e in out) and m.group(0).lower() not in _NOT_NAMES:
            out.append(m.group(0))
    return list(dict.fromkeys(out))


def analyse(question: str, query: str | None = None) -> Question:
    """Rules for Dutch questions: the asked type, the subject terms and the required entities."""
    query = query or question
    # "En wie int die bijdrage dan?": a follow-up's opening conjunction is not part of the question phrase.
    core = re.sub(r"^\s*(?:en|maar|ook|dus|of)\s+(?=\w)", "", question, flags=re.I)
    asked = asked_type(core)
    years = list(dict.fromkeys(_YEAR.findall(query)))
    # Two years asked about ("de maatregel uit 2019 … in 2022 al effect?") span a development too.
    timeline = is_timeline(question) or len(years) >= 2
    return Question(
        text=question,
        query=query,
        asked=asked,
        terms=content_words(query),
        subject=[t for t in content_words(query) if t not in FRAME_WORDS],
        entities=named_entities(query),
        years=years,
        motions=[m.upper() for m in MOTION_NUMBER.findall(query)],
        # From the user's own words: a follow-up's carried words are lower-cased tokens, not labels.
        labels=[m for m in LABEL.findall(question) if not MOTION_NUMBER.fullmatch(m)],
        opinion=bool(OPINION.search(question)),
        timeline=timeline,
        comparison=asked == "vergelijking",
        verbs=verb_slots(core),
        bare=bare_subjects(core) + acronyms(core),
        objects=topic_objects(core),
        holder=holder_phrase(question),
        named=named_programmes(core),
    )


# ---- verb slots ------------------------------------------------------------------------------------
# Dutch word order tells a question's verb apart from its subject without a tagger (none ships
# offline): the finite verb follows the question phrase ("Welke richting *koos* de raad"), or opens a
# yes/no question. The question's everyday verbs ("kregen", "duurt", "bedoelt") are rare in policy
# documents, so their IDF would otherwise outweigh the subject in the evidence test. The verbs that
# close a clause after an auxiliary ("Wanneer is de taskforce *opgeheven*?") are left alone: measured,
# they are often the asked detail itself (evals/README.md, "Answer-layer candidates").
_WH = frozenset("wat wie wanneer waarom waar hoe hoeveel welke welk waarvoor waardoor waarmee waarover".split())
_NP_WH = frozenset({"hoeveel", "welke", "welk"})  # a noun phrase follows before the verb
_PREP = frozenset("in met door van voor bij op over tot sinds naar uit aan om tegen onder na per vanaf".split())
_ARTICLE = frozenset("de het een die dat deze dit".split())
_AUX = frozenset(
    "is zijn was waren wordt worden werd werden heeft hebben had hadden moet moeten mag mogen kan kunnen kon "
    "konden kunt zal zullen zou zouden wil willen gaat gaan ging gingen".split()
)
# "hoe lang", "hoe hard": the adverb belongs to the question phrase, not to the subject.
_HOE_ADVERB = frozenset("lang hard vaak groot hoog veel snel duur ver oud laat zwaar goed erg".split())
_CLAUSE = re.compile(r"[^?.!;:,]+\?")
# Words after a finite verb that are no bare noun: articles, pronouns, possessives, prepositions, adverbs.
_NOT_BARE = (
    _ARTICLE
    | _PREP
    | _WH
    | _AUX
    | frozenset(
        "er hier daar ze zij hij je jij u we wij men ik iemand iets niets nog al ook niet geen wel dan nu zo "
        "mijn jouw zijn haar ons onze hun uw jullie elke ieder iedere alle veel weinig".split()
    )
)


def verb_slots(question: str) -> list[str]:
    """Words of the question's questioning clauses in a verb slot, or the adverb of "hoe lang"."""
    out: list[str] = []
    for clause in _CLAUSE.findall(question):
        t = tokenize(clause)
        starts = [0] + [k + 1 for k, w in enumerate(t[:-1]) if w in {"en", "of", "maar"} and t[k + 1] in _WH]
        for i in starts:
            out += _clause_verbs(t[i:])
    return list(dict.fromkeys(w for w in out if w not in _AUX))


# The noun a question is about after "aan", "tegen", "over" ("wat doet de gemeente aan *laaggeletterdheid*",
# "stemden tegen de *toeristenbelasting*", "besloten over de *bibliotheek*").
_OBJECT = re.compile(r"\b(?:aan|tegen|over)\s+(?:de |het |een |die |dat |deze |dit |haar |hun |zijn )?([^\W\d_][\w-]*)", re.I)


def topic_objects(question: str) -> list[str]:
    """The first word after "aan", "tegen" or "over": what the question is about."""
    return [w for m in _OBJECT.finditer(question) for w in tokenize(m.group(1))[:1] if w not in _NOT_BARE]


def bare_subjects(question: str) -> list[str]:
    """The word right after the finite verb of a question opened by "wat", "hoe", "waarom" … when it has
    no article: a name typed in lower case ("wat doet *gouda* aan …", "wat geeft *eindhoven* uit …"), since
    a Dutch common noun in that slot takes an article ("wat doet *de gemeente*"). After "wie" that slot is
    the object ("wie houdt toezicht"), so no name is read there. Rules on word order; no tagger ships offline."""
    out: list[str] = []
    for clause in _CLAUSE.findall(question):
        t = tokenize(clause)
        if len(t) < 2 or t[0] not in _WH or t[0] in {"wie", "welke", "welk"} or (t[0] == "hoeveel" and not verb_form(t[1])):
            continue
        verbs = _clause_verbs(t)
        if not verbs or verbs[-1] not in t:
            continue
        k = t.index(verbs[-1])
        if k + 1 < len(t) and t[k + 1][:1].isalpha() and t[k + 1] not in _NOT_BARE:  # "lijn5" is a name too
            out.append(t[k + 1])
    return out


# A Dutch word has a vowel; a short one without ("cjg", "ggd", "vng") is an acronym typed in lower case,
# a name. Units and abbreviations of amounts are no names.
_VOWELLESS = re.compile(r"[b-df-hj-np-tv-xz]{2,5}")
_UNITS = frozenset("mln mld km kg cm mm ml ct nr st pst fte bv tk".split())


def acronyms(question: str) -> list[str]:
    """Lower-case acronyms in the question: "wat doet het *cjg* voor ouders?" names an organisation."""
    return [w for w in tokenize(question) if _VOWELLESS.fullmatch(w) and w not in _UNITS]


# "het programma *kansrijk opgroeien*", "het project *herijking toegang*": the words after such a noun name it,
# also typed in lower case; prepositions, articles and verbs end the name.
_NOT_NAME = (
    r"(?:van|voor|om|met|in|op|over|tegen|door|aan|tot|onder|na|per|zonder|tussen|sinds|vanaf|tijdens|binnen|via|"
    r"volgens|de|het|een|dat|die|uit|bij|naar|is|zijn|wordt|werd|heeft|al|nog|ook)\b"
)
_PROGRAMME = re.compile(
    rf"\b(?:programma|project|fonds|regeling|pilot|aanpak|initiatief|platform)\s+(?!{_NOT_NAME})([^\W\d_][\w-]+"
    rf"(?:\s+(?!{_NOT_NAME})[^\W\d_][\w-]+)?)",
    re.I,
)


def named_programmes(question: str) -> list[str]:
    """The name after "het programma / project / fonds …" ("wat heeft het programma kansrijk opgroeien
    opgeleverd?" names "kansrijk opgroeien"), as the question writes it."""
    return [m.group(1) for m in _PROGRAMME.finditer(question)]


def _clause_verbs(t: list[str]) -> list[str]:
    """The finite verb (and the adverb of "hoe lang") of one questioning clause, given as tokens."""
    if len(t) < 3:
        return []
    i = 1 if t[0] in _PREP and t[1] in _WH else 0
    out, j = [], i + 1
    if t[i] in _WH:
        if t[i] == "hoe" and t[j] in _HOE_ADVERB:
            out.append(t[j])
            j += 1
        elif t[i] in _NP_WH and t[j] not in _AUX and not verb_form(t[j]):  # "hoeveel *gaf* rotterdam uit": no noun
            while j + 1 < len(t) and t[j].endswith("e") and t[j + 1] not in _AUX | _PREP | _ARTICLE:
                j += 1  # an attributive adjective ("welke *kwetsbare* jongeren")
            j += 1  # the noun counted or chosen
        finite = t[j] if j < len(t) and t[j] not in _PREP | _ARTICLE | _WH else None
    else:
        finite = t[0] if t[0] not in _PREP | _ARTICLE else None  # a yes/no question opens with its verb
    if finite is None:
        return out
    out.append(finite)
    return out
