"""The actor gazetteer: states, organisations, titles and role nouns from `flows/data/gazetteer.json`.

`lookup` maps a surface form ("Kyiv", "the Kremlin", "U.S.", "Security Council") to its canonical
actor. Matching ignores a leading "the", dots ("U.S." == "US"), accents, curly apostrophes and
repeated whitespace, and is case-insensitive with two guards against common words:
- acronym-like forms ("US", "WHO", "IS", "LeT") match only in that exact case ("us", "who" do not);
- a form written with a capital initial needs a capital initial in the text ("amnesty" is not
  Amnesty International, "turkey" is not Turkey); "KREMLIN" and "al-Qaeda" still match.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from flows.extract.lexicon import load_words

WORDS = load_words()

_CHARS = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"'s?$")
_TRAILING_PUNCT = ",;:"

# Words that may stand between the start of a name span and a title ("former", "Russian Foreign
# Ministry spokeswoman"), or inside a title's complement ("Envoy for the Middle East").
_MODIFIERS = WORDS.names.title_modifiers
_ORG_WORDS = WORDS.names.title_org_words
# words that may stand inside a title before a name ("High Commissioner for Human Rights Volker Türk")
TITLE_FILLERS = _MODIFIERS | _ORG_WORDS
_CONNECTORS = WORDS.names.connectors
_NAME_PARTICLES = WORDS.names.name_particles
_MAX_PREFIX_SPAN = 4


def normalize(surface: str) -> str:
    """The lookup form: no accents or dots, straight apostrophes, single spaces, no leading "the"."""
    text = "".join(c for c in unicodedata.normalize("NFKD", surface) if not unicodedata.combining(c))
    text = text.translate(_CHARS).replace(".", "")
    return _LEADING_THE.sub("", _SPACES.sub(" ", text).strip())


def _is_acronym(key: str) -> bool:
    """One word with a hyphen-part holding two capitals: "US", "ISIS-K", "LeT", "OPEC+" (not "Al-Jazeera")."""
    return " " not in key and any(sum(c.isupper() for c in part) >= 2 for part in key.split("-"))


def _title_key(text: str) -> tuple[str, ...]:
    return tuple(_token_key(t) for t in text.split())


def _title_text(text: str) -> str:
    """The comparable form of a title phrase: "Secretary‑General" -> "secretary-general"."""
    return " ".join(_token_key(t) for t in text.translate(_CHARS).split())


def _token_key(token: str) -> str:
    return token.translate(_CHARS).replace(".", "").rstrip(_TRAILING_PUNCT).lower()


@dataclass(frozen=True)
class GazetteerEntry:
    """A canonical actor, and how a surface reached it (`via`: name/alias/capital/seat/demonym)."""

    name: str
    type: str  # "state" or "organization"
    code: str | None = None  # ISO 3166-1 alpha-3 for states
    affiliation: str | None = None  # canonical name of the parent state or organisation
    via: str = "name"
    kind: str | None = None  # organisations: igo, armed_group, party, government_body, ngo, media


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]  # one per canonical actor, states first
    titles: frozenset[str]
    group_nouns: frozenset[str]
    person_roles: frozenset[str]
    exact: Mapping[str, GazetteerEntry] = field(repr=False)  # acronym-like keys, case-sensitive
    folded: Mapping[str, tuple[GazetteerEntry, bool]] = field(repr=False)  # key -> (entry, needs capital)
    demonyms: Mapping[str, str] = field(repr=False)  # casefolded demonym -> state name
    title_keys: frozenset[tuple[str, ...]] = field(repr=False)
    title_affiliations: Mapping[str, str] = field(default_factory=dict, repr=False)  # lower title -> actor

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """The actor a surface form names, or None."""
        key = normalize(surface)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        hit = self.folded.get(key.casefold())
        if hit is None or (hit[1] and not key[0].isupper()):
            return None
        return hit[0]

    def entry(self, name: str) -> GazetteerEntry | None:
        """The canonical entry of an actor name ("Russia", "NATO")."""
        hit = self.lookup(name)
        return hit if hit is not None and hit.name == name else None

    def demonym_state(self, word: str) -> str | None:
        """The state of a capitalised demonym: "Ukrainian" -> "Ukraine", "South Koreans" -> "South Korea"."""
        key = normalize(word)
        return self.demonyms.get(key.casefold()) if key[:1].isupper() else None

    def title_affiliation(self, phrase: str) -> str | None:
        """The body a title implies when none is named ("Under-Secretary-General for ..." -> United Nations).

        The longest known title inside `phrase` wins; hyphens may be spaced ("Secretary - General").
        """
        text = " " + _title_text(re.sub(r"\s*-\s*", "-", phrase)) + " "
        best = None
        for title, actor in self.title_affiliations.items():
            if f" {title} " in text and (best is None or len(title) > len(best[0])):
                best = (title, actor)
        return best[1] if best else None

    def strip_title(self, name: str) -> str:
        """Remove leading titles: "U.S. Secretary of State Antony Blinken" -> "Antony Blinken".

        Before a title may stand modifiers ("former"), actors ("Kremlin", "Ukraine's", "Russian")
        and organisation words ("Foreign Ministry"); after it a complement ("Envoy for the Middle
        East"). The name is returned unchanged if no title is found or nothing name-like follows.
        """
        tokens = re.sub(r"(?i)\b(?:then|ex)-(?=\w)", "", name.translate(_CHARS)).split()
        pos = cut = 0
        while pos < len(tokens):
            n = self._title_len(tokens, pos)
            if n:
                pos += n
                pos += self._complement_len(tokens, pos)
                cut = pos
                continue
            n = self._prefix_len(tokens, pos)
            if not n:
                break
            pos += n
        rest = tokens[cut:]
        if cut and rest and _looks_like_name(rest):
            return " ".join(rest).lstrip(_TRAILING_PUNCT + " ")
        return name.strip()

    def _title_len(self, tokens: list[str], pos: int) -> int:
        for n in range(min(len(tokens) - pos, 8), 0, -1):
            if tuple(_token_key(t) for t in tokens[pos : pos + n]) in self.title_keys:
                return n
        return 0

    def _actor_len(self, tokens: list[str], pos: int) -> int:
        for n in range(min(len(tokens) - pos, _MAX_PREFIX_SPAN), 0, -1):
            surface = " ".join(tokens[pos : pos + n]).rstrip(_TRAILING_PUNCT)
            if self.lookup(surface) or self.lookup(_POSSESSIVE.sub("", surface)):
                return n
        return 0

    def _prefix_len(self, tokens: list[str], pos: int) -> int:
        key = _token_key(tokens[pos])
        return self._actor_len(tokens, pos) or int(key in _MODIFIERS or key in _ORG_WORDS or key == "the")

    def _complement_len(self, tokens: list[str], pos: int) -> int:
        """Length of "for the Middle East" / "to the UN" after a title (0 if none)."""
        if pos >= len(tokens) or _token_key(tokens[pos]) not in {"of", "for", "to", "on"}:
            return 0
        end = i = pos
        while i < len(tokens):
            key = _token_key(tokens[i])
            if key in _CONNECTORS:
                i += 1
                continue
            n = (
                1
                if (tokens[i][:1].islower() or key in _ORG_WORDS)
                else (self._actor_len(tokens, i) or self._title_len(tokens, i))
            )
            if not n:
                break
            i += n
            end = i
        return end - pos


def _looks_like_name(tokens: list[str]) -> bool:
    first = tokens[0].lstrip(_TRAILING_PUNCT)
    particle = first.split("-")[0].lower() in _NAME_PARTICLES
    return bool(first) and (first[0].isupper() or particle)


class _IndexBuilder:
    def __init__(self) -> None:
        self.exact: dict[str, GazetteerEntry] = {}
        self.folded: dict[str, tuple[GazetteerEntry, bool]] = {}
        self.collisions: list[str] = []

    def add(self, surface: str, entry: GazetteerEntry) -> None:
        key = normalize(surface)
        if not key:
            return
        if _is_acronym(key):
            old = self.exact.setdefault(key, entry)
        else:
            capital = key[0].isupper()
            old, old_capital = self.folded.setdefault(key.casefold(), (entry, capital))
            if old.name == entry.name:
                self.folded[key.casefold()] = (old, old_capital and capital)
        if old.name != entry.name:
            self.collisions.append(f"{surface!r}: {old.name} / {entry.name}")


def build_gazetteer(data: Mapping) -> Gazetteer:
    """Build the lookup tables; raise ValueError if one surface form names two actors."""
    index = _IndexBuilder()
    entries: list[GazetteerEntry] = []
    demonyms: dict[str, str] = {}
    for state in data["states"]:
        entry = GazetteerEntry(state["name"], "state", code=state["code"], kind="state")
        entries.append(entry)
        surfaces = {
            "name": [state["name"]],
            "alias": state.get("aliases", []),
            "capital": state.get("capitals", []),
            "seat": state.get("seats", []) + state.get("government_terms", []),
            "demonym": state.get("demonyms", []),
        }
        for via, forms in surfaces.items():
            for form in forms:
                index.add(form, replace(entry, via=via))
        for form in state.get("demonyms", []):
            demonyms[normalize(form).casefold()] = entry.name
    for org in data["organizations"]:
        affiliation, kind = org.get("affiliation"), org.get("kind")
        entry = GazetteerEntry(org["name"], "organization", affiliation=affiliation, kind=kind)
        entries.append(entry)
        index.add(org["name"], entry)
        for form in org.get("aliases", []):
            index.add(form, replace(entry, via="alias"))
    if index.collisions:
        raise ValueError("gazetteer surface forms name two actors: " + "; ".join(index.collisions))
    titles = frozenset(t.lower() for t in data["titles"])
    return Gazetteer(
        entries=tuple(entries),
        titles=titles,
        group_nouns=frozenset(g.lower() for g in data["group_nouns"]),
        person_roles=frozenset(r.lower() for r in data["person_roles"]),
        exact=MappingProxyType(index.exact),
        folded=MappingProxyType(index.folded),
        demonyms=MappingProxyType(demonyms),
        title_keys=frozenset(_title_key(t) for t in titles),
        title_affiliations=MappingProxyType({_title_text(t): a for t, a in data.get("title_affiliations", {}).items()}),
    )


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, built once per process."""
    text = resources.files("flows.data").joinpath("gazetteer.json").read_text(encoding="utf-8")
    return build_gazetteer(json.loads(text))


def strip_title(name: str) -> str:
    """Remove leading titles from a person's name using the packaged gazetteer."""
    return load_gazetteer().strip_title(name)
