"""Statements: direct quotes and reported speech, with the speaker resolved.

Direct: every quoted segment whose sentence (or the sentence around it) has a
speech verb; a quote that fills its sentence and continues an earlier quote keeps
that quote's speaker; a colon-introduced quote takes the speaker of the sentence
that introduces it. Reported: a speech verb's clausal complement ("X said that ..."),
a parenthetical "X said" inside a clause, and "according to X".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon
from flows.extract.quotes import Quote, find_quotes, inside
from flows.extract.speech_acts import classify
from flows.extract.syntax import strip_leading, subject_of, trim
from flows.records import Statement, stable_id

MIN_REPORTED_WORDS = 3


@dataclass
class Utterance:
    """A statement before it becomes a record (the other extractors read these)."""

    speaker: str | None
    speaker_mention: str | None
    kind: str
    start: int
    end: int
    text: str
    act: str
    cue: Token | None
    sentence: Span

    @property
    def cue_lemma(self) -> str | None:
        return self.cue.lemma_.lower() if self.cue is not None else None


class StatementFinder:
    def __init__(self, article: ParsedArticle, actors: ActorIndex):
        self.a = article
        self.actors = actors
        lex = load_lexicon()
        self.speech_verbs = lex.words("speech_verbs")
        self.reported_verbs = lex.words("speech_verbs_reported_only")
        self.quotes = find_quotes(article.text)

    # ---- speakers -------------------------------------------------------------------
    def _speaker(self, verb: Token) -> tuple[str | None, str | None]:
        subj = subject_of(verb)
        if subj is None:
            return None, None
        if verb.dep_ == "parataxis" or (subj.head is not verb and verb.dep_ == "relcl"):
            pass
        name = self.actors.resolve_phrase(subj)
        surface = self.a.doc[subj.left_edge.i : subj.right_edge.i + 1].text if subj.pos_ != "PRON" else subj.text
        return name, surface

    def _verbs_outside_quotes(self, sent: Span) -> list[Token]:
        return [t for t in sent if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in self.speech_verbs
                and inside(self.quotes, t.idx) is None]

    # ---- direct ---------------------------------------------------------------------
    def direct(self) -> list[Utterance]:
        out: list[Utterance] = []
        last: Utterance | None = None
        for q in self.quotes:
            start, end = trim(self.a.text, q.start, q.end)
            if end <= start:
                continue
            sents = self._sentences_of(q)
            verb = self._nearest_verb(q, sents)
            speaker = mention = None
            if verb is not None:
                speaker, mention = self._speaker(verb)
            elif self._fills_sentences(q, sents):
                intro = self._colon_intro(sents[0])
                if intro is not None:
                    verb = intro
                    speaker, mention = self._speaker(intro)
                elif last is not None and self._adjacent(last, sents[0]):
                    speaker, mention, verb = last.speaker, last.speaker_mention, last.cue
                else:
                    continue
            else:
                continue
            text = self.a.text[start:end]
            u = Utterance(speaker, mention, "direct", start, end, text, classify(text, _lemma(verb)), verb,
                          sents[0])
            out.append(u)
            last = u
        return out

    def _sentences_of(self, q: Quote) -> list[Span]:
        i, j = self.a.sentence_index(q.start), self.a.sentence_index(max(q.start, q.end - 1))
        return self.a.sentences[i : j + 1]

    def _fills_sentences(self, q: Quote, sents: list[Span]) -> bool:
        words_outside = [t for s in sents for t in s if not (q.start - 1 <= t.idx < q.end + 1)
                         and not t.is_punct and not t.is_space]
        return not words_outside

    def _nearest_verb(self, q: Quote, sents: list[Span]) -> Token | None:
        cands: list[Token] = []
        for s in sents:
            cands += self._verbs_outside_quotes(s)
        # an attribution right after a sentence-final quote: "... end.” He said."
        nxt_i = self.a.sentence_index(sents[-1].start_char) + 1
        if not cands and nxt_i < len(self.a.sentences):
            nxt = self.a.sentences[nxt_i]
            head = [t for t in nxt[:6] if t.lemma_.lower() in self.speech_verbs and inside(self.quotes, t.idx) is None]
            if head and len(nxt) <= 8:
                cands = head
        if not cands:
            return None
        return min(cands, key=lambda t: min(abs(t.idx - q.start), abs(t.idx - q.end)))

    def _colon_intro(self, sent: Span) -> Token | None:
        i = self.a.sentence_index(sent.start_char) - 1
        if i < 0:
            return None
        prev = self.a.sentences[i]
        if not prev.text.rstrip().endswith(":"):
            return None
        verbs = self._verbs_outside_quotes(prev)
        if verbs:
            return verbs[-1]
        return prev.root

    def _adjacent(self, last: Utterance, sent: Span) -> bool:
        """The quote continues the previous one: same or next sentence, no other speaker between."""
        gap = self.a.sentence_index(sent.start_char) - self.a.sentence_index(last.start)
        return 0 <= gap <= 2

    # ---- reported -------------------------------------------------------------------
    def reported(self) -> list[Utterance]:
        out: list[Utterance] = []
        for sent in self.a.sentences:
            for verb in self._verbs_outside_quotes(sent):
                if verb.lemma_.lower() not in self.reported_verbs:
                    continue
                u = self._reported_from(verb, sent)
                if u is not None:
                    out.append(u)
            out += self._according_to(sent)
        return out

    def _reported_from(self, verb: Token, sent: Span) -> Utterance | None:
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if comp is not None:
            start, end = comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge)
        elif verb.dep_ == "parataxis" and verb.head.i != verb.i:
            # "Russia, he said, was ready ...": the host clause minus the parenthetical
            host = verb.head
            toks = [t for t in host.subtree if t.i not in {x.i for x in verb.subtree}]
            if not toks:
                return None
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
        else:
            return None
        start = strip_leading(self.a.doc, start, end, {"that"})
        start, end = trim(self.a.text, start, end)
        if end <= start:
            return None
        # skip complements that are mostly quotation (the direct pass has them)
        quoted = sum(1 for c in range(start, end) if inside(self.quotes, c) is not None)
        if quoted > 0.5 * (end - start):
            return None
        text = self.a.text[start:end]
        if len(text.split()) < MIN_REPORTED_WORDS:
            return None
        speaker, mention = self._speaker(verb)
        if speaker is None and mention is None:
            return None
        return Utterance(speaker, mention, "reported", start, end, text, classify(text, verb.lemma_.lower()),
                         verb, sent)

    def _according_to(self, sent: Span) -> list[Utterance]:
        out = []
        for t in sent:
            if t.lower_ != "according" or t.i + 1 >= len(self.a.doc) or self.a.doc[t.i + 1].lower_ != "to":
                continue
            to = self.a.doc[t.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            name = self.actors.resolve_phrase(pobj)
            if name is None:
                continue
            skip = {x.i for x in t.subtree} | {x.i for x in to.subtree} | {t.i}
            toks = [x for x in sent if x.i not in skip and not x.is_space]
            if not toks:
                continue
            start, end = trim(self.a.text, toks[0].idx, toks[-1].idx + len(toks[-1]))
            text = self.a.text[start:end]
            if len(text.split()) >= MIN_REPORTED_WORDS:
                out.append(Utterance(name, pobj.text, "reported", start, end, text, classify(text), t, sent))
        return out


def _lemma(tok: Token | None) -> str | None:
    return tok.lemma_.lower() if tok is not None else None


def find_utterances(article: ParsedArticle, actors: ActorIndex) -> list[Utterance]:
    finder = StatementFinder(article, actors)
    direct = finder.direct()
    reported = [r for r in finder.reported()
                if not any(d.start < r.end and r.start < d.end for d in direct)]
    return sorted(direct + reported, key=lambda u: u.start)


def to_records(article: ParsedArticle, utterances: list[Utterance]) -> list[Statement]:
    out = []
    for u in utterances:
        ev = article.evidence(u.start, u.end)
        sid = stable_id(article.article_id, "statement", u.start, u.end)
        cue = u.cue.text if u.cue is not None else None
        out.append(Statement(article.article_id, sid, u.speaker, u.speaker_mention, u.kind, u.text, u.act, cue,
                             u.start, u.end, ev.evidence_text, ev.evidence_start, ev.evidence_end))
    return out
