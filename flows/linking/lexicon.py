"""The linker's data files, validated when loaded: `issue_categories.json` and `linking.json`.

An unknown key, a category outside the guide's list, or a malformed entry raises `LexiconError`
at start-up (the first call), never half-way through a batch.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from flows.records import ISSUE_CATEGORIES, NEGOTIATION_STATUSES

CATEGORIES = ISSUE_CATEGORIES  # the guide's fixed list, defined once with the records


class LexiconError(ValueError):
    """A linking data file does not have the expected shape."""


@dataclass(frozen=True)
class Category:
    name: str
    priority: int
    pattern: re.Pattern[str] | None  # None: no cue terms
    part_of: str | None = None  # joins this category when it is the article's (hostages in a ceasefire deal)
    weak: re.Pattern[str] | None = None  # broad words ("war", "aid"): they count WEAK_WEIGHT of a cue


@dataclass(frozen=True)
class Region:
    name: str
    places: tuple[str, ...]
    states: tuple[str, ...]


@dataclass(frozen=True)
class LinkLexicon:
    categories: tuple[Category, ...]
    fallback: str
    stopwords: frozenset[str]
    generic_terms: frozenset[str]
    meeting_terms: frozenset[str]
    answerable_terms: frozenset[str]
    demand_heads: frozenset[str]
    term_synonyms: dict[str, str]
    regions: tuple[Region, ...]
    upcoming_statuses: frozenset[str] = frozenset()


def _read(name: str) -> dict:
    return json.loads(resources.files("flows.data").joinpath(name).read_text(encoding="utf-8"))


def _check_keys(where: str, data: dict, required: set[str], optional: set[str] = frozenset()) -> None:
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected an object")
    unknown = set(data) - required - optional - {"_doc"}
    missing = required - set(data)
    if unknown or missing:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")


def _words(where: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise LexiconError(f"{where}: expected a list of non-empty strings")
    return [w.strip().lower() for w in value]


def cue_pattern(cues: list[str]) -> re.Pattern[str] | None:
    """A regex matching any cue at a word start; 'x*' matches any ending, 'x' the whole word."""
    if not cues:
        return None
    alts = []
    for cue in sorted(set(cues), key=len, reverse=True):
        stem = re.escape(cue.rstrip("*")).replace(r"\ ", r"\s+")
        alts.append(stem + (r"[\w-]*" if cue.endswith("*") else r"(?![\w-])"))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + ")", re.IGNORECASE)


def parse_categories(data: dict) -> tuple[tuple[Category, ...], str]:
    _check_keys("issue_categories.json", data, {"categories", "fallback"})
    cats = data["categories"]
    if not isinstance(cats, dict) or set(cats) != set(CATEGORIES):
        raise LexiconError(f"issue_categories.json: categories must be exactly {list(CATEGORIES)}")
    out = []
    for name, entry in cats.items():
        where = f"issue_categories.json: {name}"
        _check_keys(where, entry, {"priority", "cues"}, {"pa_x", "plover", "part_of", "weak_cues"})
        if not isinstance(entry["priority"], int):
            raise LexiconError(f"{where}: priority must be an integer")
        part_of = entry.get("part_of")
        if part_of is not None and part_of not in CATEGORIES:
            raise LexiconError(f"{where}: part_of {part_of!r} is not a category")
        pattern = cue_pattern(_words(f"{where}.cues", entry["cues"]))
        weak = cue_pattern(_words(f"{where}.weak_cues", entry.get("weak_cues", [])))
        out.append(Category(name, entry["priority"], pattern, part_of, weak))
    if data["fallback"] not in CATEGORIES:
        raise LexiconError(f"issue_categories.json: fallback {data['fallback']!r} is not a category")
    return tuple(out), data["fallback"]


def parse_linking(data: dict) -> dict:
    keys = {
        "stopwords",
        "generic_terms",
        "meeting_terms",
        "answerable_terms",
        "demand_heads",
        "term_synonyms",
        "regions",
    }
    _check_keys("linking.json", data, keys, {"upcoming_statuses"})
    out: dict = {k: frozenset(_words(f"linking.json: {k}", data[k])) for k in keys - {"regions", "term_synonyms"}}
    synonyms = data["term_synonyms"]
    if not isinstance(synonyms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in synonyms.items()
    ):
        raise LexiconError("linking.json: term_synonyms must map non-empty strings to non-empty strings")
    out["term_synonyms"] = {k.strip().lower(): v.strip().lower() for k, v in synonyms.items()}
    regions = []
    if not isinstance(data["regions"], list):
        raise LexiconError("linking.json: regions must be a list")
    for i, r in enumerate(data["regions"]):
        where = f"linking.json: regions[{i}]"
        _check_keys(where, r, {"name", "places", "states"})
        if not isinstance(r["name"], str) or not r["name"].strip():
            raise LexiconError(f"{where}: name must be a non-empty string")
        places = tuple(p.strip() for p in r["places"]) if _words(where, r["places"] or ["x"]) else ()
        states = tuple(s.strip() for s in r["states"]) if r["states"] else ()
        if r["states"]:
            _words(f"{where}.states", r["states"])
        regions.append(Region(r["name"].strip(), places, states))
    out["regions"] = tuple(regions)
    upcoming = frozenset(_words("linking.json: upcoming_statuses", data.get("upcoming_statuses", [])))
    if not upcoming <= set(NEGOTIATION_STATUSES):
        raise LexiconError(f"linking.json: upcoming_statuses must be among {list(NEGOTIATION_STATUSES)}")
    out["upcoming_statuses"] = upcoming
    return out


@functools.lru_cache(maxsize=1)
def load_link_lexicon() -> LinkLexicon:
    """Both data files, parsed and validated once per process."""
    categories, fallback = parse_categories(_read("issue_categories.json"))
    return LinkLexicon(categories=categories, fallback=fallback, **parse_linking(_read("linking.json")))
