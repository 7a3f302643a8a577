"""Constructed records for the linking tests (no spaCy)."""

from __future__ import annotations

from flows.ingest.text import content_hash
from flows.records import Article, Demand, Extraction, Negotiation, Offer, Response


def article(article_id: str, text: str, title: str | None = None, published_at: str | None = "2025-01-01") -> Article:
    return Article(article_id, "test", None, title, published_at, text, content_hash(text), f"{article_id}.txt")


def _ev(text: str) -> dict:
    return {"evidence_text": text, "evidence_start": 0, "evidence_end": len(text)}


def demand(aid: str, did: str, demander: str, text: str, addressee: str | None = None) -> Demand:
    return Demand(aid, did, demander, addressee, text, None, None, "must", **_ev(text))


def offer(aid: str, oid: str, offerer: str, text: str) -> Offer:
    return Offer(aid, oid, offerer, None, text, "offered", **_ev(text))


def response(aid: str, rid: str, responder: str, stance: str, obj: str, to: str | None = None) -> Response:
    return Response(aid, rid, responder, stance, to, obj, "rejected", **_ev(obj))


def negotiation(aid: str, nid: str, name: str, parties: list[str], status: str = "ongoing", venue=None) -> Negotiation:
    return Negotiation(aid, nid, name, parties, None, venue, status, [], "talks", **_ev(name))


def extraction(aid: str, **records) -> Extraction:
    return Extraction(aid, **records)
