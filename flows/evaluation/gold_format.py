"""An extraction in the annotation guide's JSON format (what `shared/eval/score.py --pred` reads)."""

from __future__ import annotations

from flows.records import Extraction


def to_gold_format(ex: Extraction) -> dict:
    return {
        "article_id": ex.article_id,
        "actors": [
            {"name": a.actor_name, "type": a.actor_type, "aliases": a.aliases, "affiliation": a.affiliation_name}
            for a in ex.actors
        ],
        "statements": [
            {
                "speaker": s.speaker_name,
                "kind": s.statement_kind,
                "text": s.statement_text,
                "act": s.speech_act,
                "evidence": s.evidence_text,
            }
            for s in ex.statements
        ],
        "demands": [
            {
                "demander": d.demander_name,
                "addressee": d.addressee_name,
                "demand": d.demand_text,
                "condition": d.condition_text,
                "threat": d.threat_text,
                "evidence": d.evidence_text,
            }
            for d in ex.demands
        ],
        "offers": [
            {
                "offerer": o.offerer_name,
                "recipient": o.recipient_name,
                "offer": o.offer_text,
                "evidence": o.evidence_text,
            }
            for o in ex.offers
        ],
        "responses": [
            {
                "responder": r.responder_name,
                "stance": r.stance,
                "to_actor": r.to_actor_name,
                "object": r.object_text,
                "evidence": r.evidence_text,
            }
            for r in ex.responses
        ],
        "negotiations": [
            {
                "name": n.negotiation_name,
                "parties": n.parties,
                "mediator": n.mediator_name,
                "venue": n.venue,
                "status": n.status,
                "provisions": n.provisions,
                "evidence": n.evidence_text,
            }
            for n in ex.negotiations
        ],
    }
