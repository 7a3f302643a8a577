"""Surface-form helpers for actor names: headlines, acronyms, middle initials, name-like spans.

Pure string functions (no spaCy), used by `actors.ActorIndex` to decide which NER spans are
names at all and how to write them canonically.
"""

from __future__ import annotations

import re

from flows.extract.lexicon import load_words

WORDS = load_words()

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SMALL = WORDS.names.small_words
_INITIAL = re.compile(r"^[A-Z]\.$")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,9}$")

# words that make a capitalised span an organisation or a thing rather than a person's name
ORG_NAME_WORDS = WORDS.names.org_name_words

# a capitalised single word that names a kind of body, not one body ("the Council", "the Office")
GENERIC_ORG_HEADS = WORDS.names.generic_org_heads


def headline_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of title-case lines ("Security Council Urges Parties to Respect Ceasefire").

    spaCy's small model reads most capitalised words of such lines as names; a line counts as a
    headline when it has at least four words, three in four of its content words are capitalised
    and it does not end like a sentence.
    """
    out, pos = [], 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        body = line.strip()
        if not body or body[-1] in '.?!:;"”':
            continue
        words = _WORD.findall(body)
        content = [w for w in words if w.lower() not in _SMALL]
        if len(words) < 4 or not content:
            continue
        caps = sum(1 for w in content if w[0].isupper())
        if caps / len(content) >= 0.75:
            out.append((start, start + len(line)))
    return out


def title_line(text: str) -> tuple[int, int] | None:
    """The article's first line when it is a title in sentence case: no sentence-final punctuation and a
    paragraph of its own ("Colombia, ELN rebels agree to extend ceasefire as talks resume")."""
    body = text.lstrip()
    start = len(text) - len(body)
    line, sep, rest = body.partition("\n")
    line = line.rstrip()
    if not sep or not rest.startswith(("\n", "\r\n")) or not line or line[-1] in ".?!:;\"”’'":
        return None
    return (start, start + len(line)) if len(_WORD.findall(line)) >= 4 else None


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^[ \t]*(?:"
    r"\([A-Z][A-Za-z.]+(?:[ ,]+[A-Z][A-Za-z.]*)*\)"  # "(Washington, D.C.) –"
    r"|(?P<place>[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3})"  # "BOGOTA", "UNITED NATIONS"
    r"(?:,[ ]?[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+){0,2})?"  # ", Ukraine"
    rf"(?:,? {_MONTH} \d{{1,2}})?"  # ", March 3"
    r"(?: ?\([A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2}\))?"  # "(Reuters)"
    r")[ \t]*[-–—]{1,2}[ \t]+",
    re.MULTILINE,
)


def dateline_ranges(text: str, is_org=lambda name: False) -> list[tuple[int, int]]:
    """News datelines at the start of a paragraph ("BOGOTA, March 3 (Reuters) - ", "GENEVA — "): where the
    story was filed, neither an actor nor part of anyone's words. `is_org` vetoes a leading acronym that
    names an organisation ("NATO - the alliance ...")."""
    out = []
    for m in _DATELINE.finditer(text):
        place = m.group("place")
        if place is None or not is_org(place):
            out.append((m.start(), m.end()))
    return out


def in_ranges(char: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= char < e for s, e in ranges)


def is_acronym(text: str) -> bool:
    """ "ILWU", "DUP", "LeT": a short word of mostly capitals."""
    upper = sum(c.isupper() for c in text)
    return bool(_ACRONYM.match(text)) and upper >= 2 and upper * 2 >= len(text)


def initials_match(acronym: str, name: str) -> bool:
    """True if `acronym` is made of the initials of `name`'s words ("ILWU" ~ "International Longshore
    and Warehouse Union"; small words may or may not count)."""
    if not is_acronym(acronym):
        return False
    words = [w for w in re.split(r"[\s-]+", name) if w]
    letters = "".join(c for c in acronym if c.isalpha()).lower()
    full = "".join(w[0] for w in words).lower()
    content = "".join(w[0] for w in words if w.lower() not in _SMALL).lower()
    return letters in {full, content}


def acronym_fits(acronym: str, name: str) -> bool:
    """`initials_match` on the name or a tail of it ("DUP" ~ "Northern Irish Democratic Union Party")."""
    words = name.split()
    return any(initials_match(acronym, " ".join(words[k:])) for k in range(0, max(1, len(words) - 1)))


def drop_middle_initials(name: str) -> str:
    """ "Antony J. Blinken" -> "Antony Blinken" (the first and last words are kept)."""
    parts = name.split()
    if len(parts) < 3:
        return name
    kept = [parts[0], *(p for p in parts[1:-1] if not _INITIAL.match(p)), parts[-1]]
    return " ".join(kept)


def has_org_word(name: str) -> bool:
    return any(w.lower().strip(".,'’") in ORG_NAME_WORDS for w in name.split())


# head nouns of capitalised names that are documents, events or places, not actors
NON_ACTOR_HEADS = WORDS.names.non_actor_heads
# labels of transcript turns that are no one's name ("QUESTION:", "MODERATOR:")
TRANSCRIPT_LABELS = WORDS.names.transcript_labels
_HEAD_CUT = re.compile(r"\s+(?:of|for|on|to|in)\s+.*$", re.IGNORECASE)


def name_head(name: str) -> str:
    """The head word of a capitalised name: "Joint Comprehensive Plan of Action" -> "plan"."""
    words = _HEAD_CUT.sub("", name).split()
    return words[-1].lower().strip(".,'’") if words else ""


def names_non_actor(name: str) -> bool:
    return name_head(name) in NON_ACTOR_HEADS
