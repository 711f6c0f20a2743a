"""Which connecting phrases and heading lines an answer may carry without a citation marker
("Volgens <titel> (<datum>):", "**Samenvatting**"): the `allow_prefix` predicates of `check_answer`.

Document titles come in as arguments (e.g. `Index.documents[doc]["title"]`); nothing is read from
disk here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..text import MARKER_RE, MONTHS, NEGATIONS, STOPWORDS, WORD, fold, normalize

_CONNECTOR_START = re.compile(r"^(?:(?:volgens|uit|bron|bronnen|zie|in|het|de|een|van)\b[:\s]+)+", re.IGNORECASE)
_CONNECTORS = frozenset(
    "volgens uit in bron bronnen zie aldus antwoord samenvatting samengevat conform blijkens het de een van op d.d dd d".split()
)
_DOC_NOUNS = frozenset(
    """actieplan raadsbesluit raadsvoorstel raadsinformatiebrief informatieblad webpagina website pagina update document
    notitie brief memo rapport rapportage toelichting bijlage besluit motie verordening beleidsplan gemeente""".split()
)


def attribution_filter(titles: Iterable[str]) -> Callable[[str], bool]:
    """A strict `allow_prefix`: a connecting phrase or heading that names one of `titles` exactly.

    Pass the titles as the answer shows them, with their date if it shows one, e.g. "Actieplan
    Bouwen aan toekomstbestendige jeugdhulp (april 2019)": "Volgens <title>:" is then allowed, a
    different date or any added word is not.
    """
    titles = list(titles)
    sequences = {_title_tokens(t) for t in titles} - {()}
    sequences |= {_title_tokens(_split_date(t)[0]) for t in titles} - {()}

    def allow(text: str) -> bool:
        body = _strip_heading_marks(text)
        if not body:
            return False
        body = _CONNECTOR_START.sub("", body)
        rest, date = _split_date(body)
        if date is None:
            return _title_tokens(body) in sequences
        return _title_tokens(body) in sequences or (
            _title_tokens(rest) in sequences and _title_tokens(rest + " " + date) in sequences
        )

    return allow


def titles_filter(titles: Iterable[str]) -> Callable[[str], bool]:
    """`default_allow_prefix`, and also a phrase naming one of `titles` (the documents' own titles,
    e.g. from `Index.documents`) with connecting words and any date: "Volgens <titel> (<datum>):".
    Unlike the generic pattern this accepts titles with digits or lower-case words."""
    known = {_title_tokens(str(t)) for t in titles if t} - {()}

    def allow(text: str) -> bool:
        if default_allow_prefix(text):
            return True
        body = _strip_heading_marks((text or "").strip())
        if not body or not known:
            return False
        rest, _ = _split_date(_CONNECTOR_START.sub("", body))
        return _title_tokens(rest) in known

    return allow


def default_allow_prefix(text: str) -> bool:
    """Allowed without citation: "Volgens <titel> (<datum>):"-style phrases and heading lines that say
    nothing beyond a document title and date.

    A phrase that ends in ':' / is marked up as a heading / starts with a connecting word ("Volgens",
    "Bron", …), whose other words are capitalised (title words), document nouns or function words - no
    negation and no number outside a date in parentheses ("(april 2019)", "(7 oktober 2024)", "(2022)").
    A bare "Ja." or "Dat klopt." is not a heading: it stays a claim that needs a source. Titles with
    digits or lower-case words need `titles_filter(titles)`.
    """
    raw = (text or "").strip()
    body = _strip_heading_marks(raw)
    if body is None:
        return False
    if not body:
        return True
    m = re.fullmatch(
        r"(?:(volgens|uit|bron|bronnen|zie|in|antwoord|samenvatting)\b:?\s*)?(.*?)\s*(?:\(([^()]*)\))?",
        body,
        re.IGNORECASE | re.S,
    )
    if not m:
        return False
    connector, title, date = m.group(1), m.group(2), m.group(3)
    marked = raw.endswith(":") or raw[:1] in "*#_" or bool(connector)
    if not marked or (date is not None and not _is_date(date)):
        return False
    if not title:
        return True
    if re.search(r"\d", title) or len(title.split()) > 12:
        return False
    titled = False
    for tok in WORD.finditer(title):
        word = tok.group()
        low = fold(word.lower())
        if low in NEGATIONS:
            return False
        if low in _DOC_NOUNS or (word[0].isupper() and low not in STOPWORDS):
            titled = True
        elif not (low in STOPWORDS or low in _CONNECTORS or low in MONTHS):
            return False
    return titled or date is not None


def _strip_heading_marks(text: str) -> str | None:
    """The text of a heading/prefix without markdown marks and the final ':'; None if it ends a
    sentence (then it is not a heading) or is too long to be one."""
    body = (text or "").strip().strip("*_#>•-– \t").strip()
    body = body.rstrip(":").strip().strip("*_").strip()
    if len(body) > 200 or MARKER_RE.search(body):
        return None
    return body


def _is_date(text: str) -> bool:
    t = normalize(text).strip()
    months = "|".join(MONTHS)
    return bool(
        re.fullmatch(rf"(?:(?:\d{{1,2}}\s+)?(?:{months})\s+)?(?:19|20)\d\d", t)
        or re.fullmatch(r"(?:19|20)\d\d(?:-\d\d){0,2}", t)
        or re.fullmatch(r"\d{1,2}-\d{1,2}-(?:19|20)\d\d", t)
    )


def _title_tokens(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in WORD.findall(normalize(text)))


def _split_date(text: str) -> tuple[str, str | None]:
    """("Actieplan", "(april 2019)") for "Actieplan (april 2019)"; (text, None) without a final date."""
    m = re.fullmatch(r"(.*?)\s*(\(([^()]*)\))", text.strip(), re.S)
    if m and _is_date(m.group(3)):
        return m.group(1), m.group(2)
    return text, None
