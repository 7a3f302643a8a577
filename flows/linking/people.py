"""One person across articles: a bare surname is the one person of that surname the warehouse knows.

Within an article the extraction already resolves "Guterres" to "António Guterres" when the article
names him in full. An article that only says "Mr. Guterres" gives a person actor named by the bare
surname; `resolve_surnames` renames it, and every record naming it, to the full name of the one
person whose name ends in that surname, among the batch's articles and the landing tables. Where no
such person, or more than one ("Kim"), is known, the name stays as it is. The surname is kept as an
alias of the actor. Nothing already loaded changes: an id once published stays (a bare-surname
actor published before the full name was known keeps its own id).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from flows.records import Extraction

# the name fields of each record list of an Extraction (negotiation parties are a list of names)
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "actors": ("actor_name", "affiliation_name"),
    "mentions": ("actor_name",),
    "statements": ("speaker_name",),
    "demands": ("demander_name", "addressee_name"),
    "offers": ("offerer_name", "recipient_name"),
    "responses": ("responder_name", "to_actor_name"),
    "negotiations": ("mediator_name",),
}


def surname_of(name: str) -> str:
    return name.split()[-1].casefold()


def is_bare_surname(name: str) -> bool:
    return len(name.split()) == 1 and name[:1].isupper()


def full_names(people: Iterable[str]) -> dict[str, str]:
    """surname -> the one full name (two or more words) ending in it; surnames of several people are left out."""
    found: dict[str, set[str]] = {}
    for name in people:
        if len(name.split()) >= 2:
            found.setdefault(surname_of(name), set()).add(name)
    return {s: next(iter(names)) for s, names in found.items() if len(names) == 1}


def known_people(con: duckdb.DuckDBPyConnection, surnames: Iterable[str]) -> list[str]:
    """Full names of the landing tables' person actors whose surname is one of `surnames` (a lookup by key)."""
    wanted = sorted(set(surnames))
    if not wanted:
        return []
    con.register("wanted_surnames", pa.table({"surname": pa.array(wanted, pa.string())}))
    try:
        rows = con.execute(
            """
            select distinct a.actor_name
            from landing.actors as a
            inner join wanted_surnames as w
                on lower(regexp_extract(a.actor_name, '(\\S+)$', 1)) = w.surname
            where a.actor_type = 'person' and a.actor_name like '% %'
            """
        ).fetchall()
    finally:
        con.unregister("wanted_surnames")
    return [r[0] for r in rows]


def resolve_surnames(con: duckdb.DuckDBPyConnection, extractions: Sequence[Extraction]) -> list[Extraction]:
    """The extractions with each bare-surname person renamed to the one known full name (copies where changed)."""
    bare = {
        surname_of(a.actor_name)
        for e in extractions
        if not e.error
        for a in e.actors
        if a.actor_type == "person" and is_bare_surname(a.actor_name)
    }
    if not bare:
        return list(extractions)
    batch_people = [a.actor_name for e in extractions for a in e.actors if a.actor_type == "person"]
    names = full_names([*batch_people, *known_people(con, bare)])
    return [_renamed(e, names) for e in extractions]


def _renamed(extraction: Extraction, names: dict[str, str]) -> Extraction:
    own = {a.actor_name for a in extraction.actors}
    rename = {
        a.actor_name: names[surname_of(a.actor_name)]
        for a in extraction.actors
        if a.actor_type == "person"
        and is_bare_surname(a.actor_name)
        and surname_of(a.actor_name) in names
        and names[surname_of(a.actor_name)] not in own  # the article's own full-name actor: leave both
    }
    if extraction.error or not rename:
        return extraction
    out = copy.deepcopy(extraction)
    for records, fields in NAME_FIELDS.items():
        for record in getattr(out, records):
            for f in fields:
                value = getattr(record, f)
                if value in rename:
                    setattr(record, f, rename[value])
    for n in out.negotiations:
        n.parties = [rename.get(p, p) for p in n.parties]
    surnames = {full: bare_name for bare_name, full in rename.items()}
    for actor in out.actors:  # the renamed actors keep the surname as an alias
        bare_name = surnames.get(actor.actor_name)
        if bare_name is not None and bare_name not in actor.aliases:
            actor.aliases = [*actor.aliases, bare_name]
    return out
