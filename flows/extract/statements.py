"""Statements: direct quotes and reported speech, with the speaker resolved.

Direct: every quoted segment whose sentence (or the next short one) has a speech verb;
a quote that fills its sentence and continues an earlier quote keeps that quote's
speaker; a colon-introduced quote takes the speaker of the sentence that introduces it;
transcript turns ("NAME: ...") are direct. Reported: a speech verb's clausal complement
("X said that ..."), a parenthetical "X said" inside a clause, the object of a
communicative verb ("X condemned the strikes", "X urged Y to ...", "X threatened to ..."),
"according to X", and a possessed message noun with a that-clause ("Tehran's announcement that ...").
A fronted reported clause leaves out its scene-setting phrase ("After days of fighting, [the world needs
...], X said"). Layered reporting yields one statement per reporting actor; "A, adding that B"
yields two. A reported clause that closes on a partial quote is left to the direct record, which
takes the clause's act ('said it must be "fully implemented"' -> demand).
Speakers that cannot be resolved are dropped: a statement without a speaker is no position.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon, load_words
from flows.extract.names import title_line
from flows.extract.quotes import Quote, find_quotes, inside
from flows.extract.resolver import SpeakerRef, resolver_for
from flows.extract.speech_acts import act_of_verb, classify, conditional_act, evaluation_act, phrase_acts
from flows.extract.syntax import agent_of, has_negation, strip_leading, subject_of, trim
from flows.records import Statement, stable_id

WORDS = load_words()

MIN_REPORTED_WORDS = 3
MIN_OBJECT_WORDS = 2
COGNITION = WORDS.statements.cognition_verbs
REPORTED_DEEDS = WORDS.statements.reported_deed_verbs
FIRST_PERSON = WORDS.pronouns.first_person
_ACCORDING = re.compile(r",\s+according to\b", re.IGNORECASE)
# children of a communicative verb that carry what was said (objects, complements, arguments)
CONTENT_DEPS = {"dobj", "iobj", "dative", "xcomp", "ccomp", "prep", "oprd", "attr", "acomp"}
# prepositional adjuncts that only frame the act (time, setting)
FRAME_PREPS = WORDS.statements.frame_preps
# verbs with a material sense besides the verbal one ("troops defended the town", "backed by tanks")
PHYSICAL_SENSE = WORDS.statements.physical_sense_verbs
MILITARY_NOUNS = WORDS.statements.military_nouns
# a transcript turn: "MR MILLER: ...", "Q: ...", "The Minister for Africa (Jane Roe): ...", "Dr Roe (Leeds) (Lab): ..."
_LABEL_WORD = r"(?:[A-Z][\w.’'-]*|for|of|the|and)"
_TURN = re.compile(
    r"^\s*((?:" + _LABEL_WORD + r"\s+){0,6}[A-Z][\w.’'-]*(?:\s*\([^()\n]{1,60}\))*)\s*:\s+(\S.*)$", re.DOTALL
)
TEXT_NOUNS = WORDS.statements.text_nouns
_NOT_SPEAKER_LABEL = WORDS.statements.not_speaker_labels
_ANSWER_LABELS = WORDS.statements.answer_labels
_REFUSAL = re.compile(
    r"^(?:"
    + "|".join(re.escape(w) for w in sorted(WORDS.statements.refusal_answers, key=len, reverse=True))
    + r")\b[.,!;]",
    re.IGNORECASE,
)
GENERIC_SOURCES = WORDS.statements.generic_sources


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
    ref: SpeakerRef | None = None
    party_copy: bool = False  # the same words for another party of a collective subject ("the two leaders")
    label: str | None = None  # a transcript turn's speaker label ("MR MILLER", "A"): its cue, as no verb is
    # a turn that refuses the question just put to it ("Q: Will you withdraw? A: No. ..."): the question
    refused: Span | None = None

    @property
    def cue_lemma(self) -> str | None:
        return self.cue.lemma_.lower() if self.cue is not None else None


class StatementFinder:
    def __init__(self, article: ParsedArticle, actors: ActorIndex):
        self.a = article
        self.actors = actors
        self.speakers = resolver_for(actors)
        lex = load_lexicon()
        self.speech_verbs = lex.speech_verbs
        self.reported_verbs = lex.speech_verbs_reported_only
        self.object_verbs = _object_verbs(lex.speech_verbs_object)
        self.report_nouns: dict[str, str] = lex.report_nouns
        self.quotes = find_quotes(article.text)
        title = title_line(article.text)
        self.headlines = {
            i
            for i, s in enumerate(self.a.sentences)
            if _is_headline(s) or (title is not None and s.start_char < title[1])
        }

    # ---- speakers -------------------------------------------------------------------
    def _speaker(self, verb: Token) -> SpeakerRef:
        """Subject of the cue verb; for a passive one ("X was accused by Y") the by-agent."""
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
            return self.speakers.of_subject(agent_of(verb) or _by_phrase(verb))
        subj = subject_of(verb)
        if subj is not None:
            # two subjects on one verb (a misparsed title + name): the one next to the verb
            subjects = [c for c in subj.head.children if c.dep_ == "nsubj" and c.i < subj.head.i]
            subj = subjects[-1] if len(subjects) > 1 else subj
        if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and not _has_subject(verb):
            # "He claimed that X wants ..., and criticized Y": the coordination belongs to the main clause
            subj = subject_of(verb.head.head)
        elif verb.tag_ == "VBG" and verb.dep_ == "advcl" and not _has_subject(verb):
            # "He declared that Russia is ready ..., dismissing the claims": the participle is the speaker's
            frame = next((a.head for a in verb.ancestors if a.dep_ == "ccomp" and self._is_cue(a.head)), None)
            subj = subject_of(frame) if frame is not None else subj
        if subj is None and verb.dep_ == "conj" and verb.head.dep_ == "pcomp":
            # "accused Y of failing ... and criticized Z": a coordination misattached below "of"
            clause = verb.head
            while clause.dep_ in {"pcomp", "prep", "pobj"} and clause.head is not clause:
                clause = clause.head
            subj = subject_of(clause)
        if subj is None and verb.dep_ == "ROOT":
            subj = self.speakers.stranded_subject(verb)
        return self.speakers.of_subject(subj)

    def _is_cue(self, t: Token) -> bool:
        lemma = t.lemma_.lower()
        return (
            t.pos_ in {"VERB", "AUX"}
            and inside(self.quotes, t.idx) is None
            and (lemma in self.speech_verbs or (lemma in self.object_verbs and self._takes_object(t)))
        )

    def _verbs_outside_quotes(self, sent: Span) -> list[Token]:
        return [t for t in sent if self._is_cue(t)]

    def _utterance(self, ref: SpeakerRef, kind: str, start: int, end: int, cue: Token | None, sent: Span) -> Utterance:
        if kind == "reported" and (cue is None or cue.lower_ != "according"):
            at = _ACCORDING.search(self.a.text, start, end)
            if at is not None and at.start() > start:  # "X offered Z, according to Y": Y's attribution, not Z
                start, end = trim(self.a.text, start, at.start())
        text = self.a.text[start:end]
        negated = cue is not None and has_negation(cue)
        lemma = _lemma(cue)
        if lemma == "call" and cue is not None and not self._takes_object(cue):
            lemma = "describe"  # "called the plan 'significant'" names, it does not demand
        act = classify(text, lemma, negated=negated)
        if act == "offer" and kind == "direct" and act_of_verb(lemma) is None and conditional_act(text) is None:
            act = self._own_offer_act(text, start, ref.name)
        clause = self._clause_around(cue, start, end) if act == "assert" and kind == "direct" else None
        if clause is not None:
            # a quoted fragment takes the act of the reported clause around it ('it must be "fully implemented"')
            act = classify(self.a.text[clause[0] : clause[1]], lemma, negated=negated)
        return Utterance(ref.name, ref.mention, kind, start, end, text, act, cue, sent, ref)

    def _own_offer_act(self, text: str, start: int, speaker: str | None) -> str:
        """A quote or turn whose only offers are others' ("the Saudis were ready to fund ...", "the envoy
        has said she intends to convene ...") does not offer: its act is the strongest other one."""

        def keep(act: str, pos: int) -> bool:
            return act != "offer" or not self._foreign_agent(start + pos, speaker)

        found = phrase_acts(text, keep)
        if "offer" in found:
            return "offer"
        return found[0] if found else evaluation_act(text) or "assert"

    def _foreign_agent(self, char: int, speaker: str | None) -> bool:
        """The clause at `char` has a third-person subject that is not the speaker."""
        span = self.a.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            return False
        tok = span[0]
        while tok.pos_ not in {"VERB", "AUX", "ADJ"} and tok.head is not tok:
            tok = tok.head
        subj = subject_of(tok) or (subject_of(tok.head) if tok.dep_ in {"acomp", "attr"} else None)
        if subj is None or subj.lower_ in FIRST_PERSON:
            return False
        return self.speakers.phrase(subj) != speaker

    def _clause_around(self, cue: Token | None, start: int, end: int) -> tuple[int, int] | None:
        """The cue's reported clause when it holds the quote [start, end) and more words."""
        comp = next((c for c in cue.children if c.dep_ == "ccomp"), None) if cue is not None else None
        if comp is None:
            return None
        bounds = comp.left_edge.idx, self._complement_end(comp)
        if not (bounds[0] <= start and end <= bounds[1]) or (bounds[0], bounds[1]) == (start, end):
            return None
        # one quoted fragment only: with several, each carries its own act
        others = [q for q in self.quotes if q.start < bounds[1] and bounds[0] < q.end and not q.start <= start < q.end]
        return None if others else bounds

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
            if verb is not None:
                ref = self._speaker(verb)
            elif self._fills_sentences(q, sents):
                intro = self._colon_intro(sents[0])
                if intro is not None:
                    verb, ref = intro, self._speaker(intro)
                elif last is not None and self._adjacent(last, sents[0]):
                    verb, ref = last.cue, last.ref or SpeakerRef(last.speaker, last.speaker_mention, None, None)
                else:
                    continue
            else:
                continue
            u = self._utterance(ref, "direct", start, end, verb, sents[0])
            out.append(u)
            last = u
        return out

    def _sentences_of(self, q: Quote) -> list[Span]:
        i, j = self.a.sentence_index(q.start), self.a.sentence_index(max(q.start, q.end - 1))
        return self.a.sentences[i : j + 1]

    def _fills_sentences(self, q: Quote, sents: list[Span]) -> bool:
        words_outside = [
            t for s in sents for t in s if not (q.start - 1 <= t.idx < q.end + 1) and not t.is_punct and not t.is_space
        ]
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
        # the verb that governs the quote ("He claimed that X “...”, and criticized Y"), else the nearest
        qs, qe = trim(self.a.text, q.start, q.end)
        governing = [t for t in cands if t.left_edge.idx <= qs and qe <= t.right_edge.idx + len(t.right_edge)]
        if governing:
            return min(governing, key=lambda t: t.right_edge.i - t.left_edge.i)
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

    # ---- transcripts ----------------------------------------------------------------
    def transcript(self) -> list[Utterance]:
        """Speaker turns "NAME: words" (briefings, interviews, parliament): direct, without quotation marks.

        A turn runs on over the paragraphs after it until the next label; "A:" is the interviewee's turn
        (the one person the introduction names); "Q:" and other non-speaker labels speak for no one."""
        out: list[Utterance] = []
        lines = list(re.finditer(r"[^\n]+", self.a.text))
        turns = [(m, _TURN.match(m.group(0))) for m in lines]
        labelled = [i for i, (_, t) in enumerate(turns) if t is not None]
        if not labelled:
            return out
        interviewee = self._interviewee(lines[labelled[0]].start())
        current: SpeakerRef | None = None
        asked: Span | None = None  # the last question a non-speaker turn put
        for m, turn in turns:
            if turn is None:
                if current is not None and len(labelled) > 1 and not self._is_heading(m.group(0)):
                    start, end = trim(self.a.text, m.start(), m.end())
                    if end > start and inside(self.quotes, start) is None:
                        out.append(self._turn(current, start, end))
                continue
            label_text = turn.group(1).lower().rstrip(".")
            current = None
            if label_text in _ANSWER_LABELS and interviewee is not None:
                name = interviewee
            elif label_text in _NOT_SPEAKER_LABEL:
                asked = self._last_question(m.start() + turn.start(2), m.end())
                continue
            else:
                label_start = m.start() + turn.start(1)
                label = self.a.doc.char_span(label_start, m.start() + turn.end(1), alignment_mode="expand")
                name = self._label_speaker(label) if label is not None else None
            if name is None:
                continue
            current = SpeakerRef(name, turn.group(1), None, None)
            start, end = trim(self.a.text, m.start() + turn.start(2), m.end())
            if end > start and inside(self.quotes, start) is None:
                u = self._turn(current, start, end)
                if asked is not None and _REFUSAL.match(self.a.text[start:end]):
                    u.refused = asked
                    u.act = "reject" if u.act == "assert" else u.act
                out.append(u)
            asked = None
        return out

    def _last_question(self, start: int, end: int) -> Span | None:
        """The last sentence of a questioner's turn that asks its addressee ("Will you ...?")."""
        sents = [
            s for s in self.a.sentences if s.end_char > start and s.start_char < end and s.text.rstrip().endswith("?")
        ]
        return sents[-1] if sents and any(t.lower_ == "you" for t in sents[-1]) else None

    def _turn(self, ref: SpeakerRef, start: int, end: int) -> Utterance:
        u = self._utterance(ref, "direct", start, end, None, self.a.sentence_at(start))
        u.label = ref.mention
        return u

    def _interviewee(self, before: int) -> str | None:
        """The one person an interview's introduction (before its first turn) names."""
        people = {m.name for m in self.actors.mentions if m.type == "person" and m.end_char <= before}
        return people.pop() if len(people) == 1 else None

    @staticmethod
    def _is_heading(line: str) -> bool:
        """A short line without a full stop: a heading between turns, not part of them."""
        text = line.strip()
        return len(text.split()) < 8 and text[-1:] not in '.!?"”'

    def issued_text(self) -> list[Utterance]:
        """ "The following statement by X was issued:" then X's own words, one record per paragraph."""
        out: list[Utterance] = []
        for sent in self.a.sentences:
            if not sent.text.rstrip().endswith(":") or not any(t.lemma_.lower() in TEXT_NOUNS for t in sent):
                continue
            by = next(
                (
                    t
                    for t in sent
                    if t.dep_ == "pobj" and t.head.lower_ == "by" and t.head.head.lemma_.lower() in TEXT_NOUNS
                ),
                None,
            )
            ref = self.speakers.of_subject(by) if by is not None else SpeakerRef(None, None, None, None)
            if ref.name is None:
                continue
            for m in re.finditer(r"[^\n]+", self.a.text[sent.end_char :]):
                start, end = trim(self.a.text, sent.end_char + m.start(), sent.end_char + m.end())
                body = self.a.text[start:end]
                if len(body.split()) < 4 or m.group(0).rstrip()[-1:] not in '.!?"”' or inside(self.quotes, start):
                    continue
                out.append(self._utterance(ref, "direct", start, end, None, self.a.sentence_at(start)))
        return out

    def _label_speaker(self, label: Span) -> str | None:
        """The person a turn label names ("MR MILLER", "Mr JOHN ROE (Leeds) (Minister for X)"), else an actor
        in it outside its parentheses (an electorate or party is not the speaker), else by surname or role."""
        depth, found = 0, []
        for t in label:
            depth += t.text == "("
            depth -= t.text == ")"
            m = self.actors.mention_at(t.i)
            if m is not None and (depth == 0 or m.type == "person"):
                found.append(m)
        person = next((m.name for m in found if m.type == "person"), None)
        if person is not None or found:
            return person or found[0].name
        last = label[-1].text.rstrip(".").lower()
        persons = [n for n, a in self.actors.actors.items() if a.type == "person"]
        by_surname = next((n for n in persons if n.split()[-1].lower() == last), None)
        # "Spokesperson:": the one person the text introduced in that role
        holders = [n for n in persons if last in self.actors.actors[n].roles]
        return by_surname or (holders[0] if len(holders) == 1 else None)

    # ---- reported -------------------------------------------------------------------
    def reported(self) -> list[Utterance]:
        out: list[Utterance] = []
        for i, sent in enumerate(self.a.sentences):
            if i in self.headlines or self.a.is_question(sent.start_char):
                continue  # a headline summarises; a question reports nothing
            for verb in self._verbs_outside_quotes(sent):
                u = self._reported_from(verb, sent)
                if u is not None:
                    out.append(u)
            out += self._according_to(sent)
            out += self._nominal_reports(sent)
        return out

    def _nominal_reports(self, sent: Span) -> list[Utterance]:
        """ "Tehran's announcement that it will not commit ...", "Kyiv's claim that ...": a message noun
        whose possessor is the speaker and whose that-clause is what was said."""
        out = []
        for noun in sent:
            verb_lemma = self.report_nouns.get(noun.lemma_.lower())
            poss = next((c for c in noun.children if c.dep_ == "poss"), None)
            if verb_lemma is None or noun.pos_ != "NOUN" or poss is None or inside(self.quotes, noun.idx):
                continue
            mark = self._that_clause_after(noun)
            if mark is None:
                continue
            clause = mark.head
            start, end = trim(self.a.text, self.a.doc[mark.i + 1].idx, self._complement_end(clause))
            if end <= start or len(self.a.text[start:end].split()) < MIN_REPORTED_WORDS:
                continue
            ref = self.speakers.of_subject(poss)
            if ref.name is None and not ref.pending:
                continue
            u = self._utterance(ref, "reported", start, end, None, sent)
            u.act = classify(u.text, verb_lemma)
            out.append(u)
        return out

    def _that_clause_after(self, noun: Token) -> Token | None:
        """The "that" opening the noun's content clause, right after the noun and its own modifiers
        (the parser often hangs the clause on a noun further up: "concern about X's claim that ...")."""
        own = {t.i for t in noun.subtree}
        for t in noun.doc[noun.i + 1 : noun.sent.end]:
            if t.lower_ == "that" and t.dep_ == "mark" and t.head.dep_ in {"acl", "ccomp", "advcl"}:
                return t
            if t.i not in own and not t.is_punct:
                return None
        return None

    def _reported_from(self, verb: Token, sent: Span) -> Utterance | None:
        lemma = verb.lemma_.lower()
        bounds = None
        min_words = MIN_REPORTED_WORDS
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None) or _fronted_clause(verb)
        if lemma in self.reported_verbs and comp is not None:
            bounds = self._fronted_start(comp, verb), self._complement_end(comp)
        elif lemma in self.reported_verbs and verb.dep_ == "parataxis" and verb.head.i != verb.i:
            bounds = self._parenthetical(verb)
        elif self._takes_object(verb) and verb.dep_ != "relcl" and not self._introduces_quote(verb, sent):
            # "whom authorities blame": no content; '"...," X urged the meeting': the quote is the content
            bounds, min_words = self._object_content(verb), MIN_OBJECT_WORDS
        if bounds is None:
            return None
        start = strip_leading(self.a.doc, bounds[0], bounds[1], {"that", "to"})
        start = next((e for s, e in self.actors.datelines if s <= start < e), start)  # not "BOGOTA (Reuters) -"
        start, end = trim(self.a.text, start, bounds[1])
        if end <= start:
            return None
        # skip complements that are mostly quotation or close on a partial quote ('called the talks "not
        # serious"'): the direct pass has the speaker's words
        quoted = sum(1 for c in range(start, end) if inside(self.quotes, c) is not None)
        if quoted > 0.5 * (end - start) or inside(self.quotes, end - 1) is not None:
            return None
        if len(self.a.text[start:end].split()) < min_words:
            return None
        ref = self._speaker(verb)
        if ref.name is None and not ref.pending:
            return None
        return self._utterance(ref, "reported", start, end, verb, sent)

    def _fronted_start(self, comp: Token, verb: Token) -> int:
        """Start of a reported clause; a fronted one ("After days of fighting, the world needs ..., X said")
        leaves out its leading scene-setting phrase, which is the reporter's, not the speaker's."""
        start = comp.left_edge
        if comp.i > verb.i:
            return start.idx
        subj = next((c for c in reversed(list(comp.lefts)) if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
        frames = [
            c
            for c in comp.children
            if c.dep_ == "prep"
            and subj is not None
            and c.i < subj.left_edge.i
            and c.lower_ in FRAME_PREPS | {"following"}
        ]
        if not frames:
            return start.idx
        between = comp.doc[max(f.right_edge.i for f in frames) + 1 : subj.left_edge.i]
        if any(t.pos_ in {"VERB", "AUX"} and t.tag_ != "VBN" for t in between):
            return start.idx
        return subj.left_edge.idx  # what lies between is punctuation or an aside on the frame

    def _complement_end(self, comp: Token) -> int:
        """End of a reported clause, before a second act it carries ("A, adding that B": A only)."""
        nested = [
            t
            for t in comp.subtree
            if t.i > comp.i
            and t.dep_ in {"advcl", "conj"}
            and self._is_cue(t)
            and t.lemma_.lower() in self.speech_verbs
            and t.tag_ in {"VBG", "VBD", "VBZ"}
            and t.left_edge.i > comp.i
            and not any(c.dep_ in {"nsubj", "nsubjpass", "mark"} for c in t.children)
        ]
        if nested:
            last = comp.doc[min(t.left_edge.i for t in nested) - 1]
            while last.i > comp.i and (last.is_punct or last.dep_ == "cc"):
                last = comp.doc[last.i - 1]
            return last.idx + len(last)
        return comp.right_edge.idx + len(comp.right_edge)

    def _parenthetical(self, verb: Token) -> tuple[int, int] | None:
        """ "Russia, he said, was ready ...": the host clause minus the parenthetical."""
        skip = {x.i for x in verb.subtree}
        toks = [t for t in verb.head.subtree if t.i not in skip]
        return (toks[0].idx, toks[-1].idx + len(toks[-1])) if toks else None

    def _takes_object(self, verb: Token) -> bool:
        needs = self.object_verbs.get(verb.lemma_.lower())
        if needs is None or (verb.lemma_.lower() in PHYSICAL_SENSE and _physical(verb)):
            return False
        if not needs:
            return True
        for c in verb.children:
            if c.lower_ in needs and c.dep_ in {"prep", "prt", "dative"}:
                return True
            if c.lemma_.lower() in needs and c.dep_ == "dobj":  # "issued an ultimatum", "lodged a protest"
                return True
            if "to" in needs and c.dep_ == "xcomp":
                return True
        return False

    def _introduces_quote(self, verb: Token, sent: Span) -> bool:
        """A quote in the sentence, outside the verb's right-hand arguments, is attributed by this verb."""
        for q in self.quotes:
            if (
                sent.start_char <= q.start < sent.end_char
                and not any(c.idx <= q.start < c.right_edge.idx + len(c.right_edge) for c in verb.rights)
                and getattr(self._nearest_verb(q, [sent]), "i", None) == verb.i
            ):
                return True
        return False

    def _object_content(self, verb: Token) -> tuple[int, int] | None:
        """What a communicative verb's arguments say: "[Israel for the bombing]", "[to cut off power]"."""
        keep: list[Token] = []
        for c in verb.rights:
            if c.dep_ not in CONTENT_DEPS:
                continue
            if c.dep_ == "prep" and (c.lower_ in FRAME_PREPS or _is_time(c)):
                continue
            keep += list(c.subtree)
        if not keep:
            # "have sworn to fight until ...": an infinitive the parser attached as an adverbial clause
            inf = next(
                (
                    c
                    for c in verb.rights
                    if c.dep_ == "advcl" and c.i == verb.i + 2 and verb.doc[verb.i + 1].lower_ == "to"
                ),
                None,
            )
            keep = [t for c in verb.rights if inf is not None and c.i >= inf.i and c.dep_ != "punct" for t in c.subtree]
        if not keep:
            return None
        keep.sort(key=lambda t: t.i)
        # a misattached coordinated clause ("..., and criticized Y") is a separate act
        cut = next(
            (t.i for t in keep if t.dep_ == "cc" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].tag_ in {"VBD", "VBZ"}),
            None,
        )
        keep = [t for t in keep if cut is None or t.i < cut] or keep
        return keep[0].idx, keep[-1].idx + len(keep[-1])

    def _according_to(self, sent: Span) -> list[Utterance]:
        out = []
        for t in sent:
            if t.lower_ != "according" or t.i + 1 >= len(self.a.doc) or self.a.doc[t.i + 1].lower_ != "to":
                continue
            to = self.a.doc[t.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            ref = self.speakers.of_subject(pobj)
            if ref.name is None and pobj.lemma_.lower() in GENERIC_SOURCES | {pobj.lower_}:
                ref = self._generic_source(pobj)
            if ref.name is None:
                continue
            ref = self._speaking_for_subject(ref, pobj, sent)
            skip = {x.i for x in t.subtree} | {x.i for x in to.subtree} | {t.i}
            left = [x for x in sent if x.i < t.i and x.i not in skip and not x.is_space]
            right = [x for x in sent if x.i > max(skip) and not x.is_space]
            toks = max(left, right, key=len)
            if not toks:
                continue
            start, end = trim(self.a.text, toks[0].idx, toks[-1].idx + len(toks[-1]))
            if len(self.a.text[start:end].split()) >= MIN_REPORTED_WORDS:
                out.append(self._utterance(ref, "reported", start, end, t, sent))
        return out

    def _speaking_for_subject(self, ref: SpeakerRef, source: Token, sent: Span) -> SpeakerRef:
        """ "X urged Y ..., according to an X spokesman": an unnamed voice of the actor the clause is about
        (a body of that state, or its own spokesperson) speaks for it, so X is the speaker."""
        if self.actors.mention_at(source.i) is not None and self.actors.mention_at(source.i).type == "person":
            return ref
        if source.lower_ not in self.speakers.person_roles:
            return ref
        subj = next((c for c in sent.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        who = self.speakers.phrase(subj) if subj is not None else None
        info = self.actors.actors.get(ref.name)
        if who is None or who == ref.name or info is None or info.affiliation != who:
            return ref
        return SpeakerRef(who, ref.mention, "collective", None)

    def _generic_source(self, head: Token) -> SpeakerRef:
        """ "according to officials familiar with the offer", "a person close to the delegation": the unnamed
        source, named by its own words, as a group actor."""
        if head.lower_ not in GENERIC_SOURCES and head.lemma_.lower() not in GENERIC_SOURCES:
            return SpeakerRef(None, None, None, None)
        end = head.right_edge.i
        clause = next((c for c in head.rights if c.dep_ in {"relcl", "appos"}), None)
        if clause is not None:
            end = clause.left_edge.i - 1
        while end > head.i and (self.a.doc[end].is_punct or self.a.doc[end].is_space):
            end -= 1
        span = self.a.doc[head.left_edge.i : end + 1]
        m = self.actors.add_group(span.start, span.end, span.text)
        if m is None:
            return SpeakerRef(None, None, None, None)
        return SpeakerRef(m.name, span.text, "collective", head)


def _object_verbs(entries: list[str]) -> dict[str, frozenset[str]]:
    """'condemn' -> no requirement; 'call on', 'call for' -> call needs an 'on'/'for' child."""
    out: dict[str, set[str]] = {}
    for e in entries:
        lemma, _, word = e.lower().partition(" ")
        need = out.setdefault(lemma, set())
        if word:
            need.add(word)
        else:
            out[lemma] = set()
            need.clear()
    return {k: frozenset(v) for k, v in out.items()}


def _fronted_clause(verb: Token) -> Token | None:
    """ "Both armies must return to the table, the minister told reporters": a finite clause before the
    verb that the parser hung on it as an adverbial, with its own subject and no subordinator."""
    for c in verb.lefts:
        if (
            c.dep_ == "advcl"
            and c.tag_ not in {"VBG", "VBN"}
            and _has_subject(c)
            and not any(g.dep_ == "mark" or g.tag_ in {"WRB", "WDT", "WP"} for g in c.children)
            and c.right_edge.i + 1 < verb.i
            and c.doc[c.right_edge.i + 1].is_punct
        ):
            return c
    return None


def _is_time(prep: Token) -> bool:
    return any(g.ent_type_ in {"DATE", "TIME"} for g in prep.children if g.dep_ == "pobj")


def _is_headline(sent: Span) -> bool:
    """A title-case line without final punctuation (headline, deck): its 'statements' are summaries."""
    text = sent.text.strip().rstrip("\"”’'")
    if not text or text[-1] in ".!?:":
        return False
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)


def _physical(verb: Token) -> bool:
    """The material sense: passive, military subject, or a place or reflexive as object."""
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or verb.dep_ in {"amod", "acl"}:
        return True
    subj = subject_of(verb)
    if subj is not None and subj.lower_ in MILITARY_NOUNS:
        return True
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and (
        obj.ent_type_ in {"GPE", "LOC", "FAC"}
        or obj.lower_.endswith(("self", "selves"))
        or obj.lower_ in MILITARY_NOUNS
    )


def _by_phrase(verb: Token) -> Token | None:
    """A passive's agent the parser left as a plain "by" phrase, on the verb or after it on its head."""
    holders = [verb] + ([verb.head] if verb.dep_ in {"ccomp", "conj", "xcomp"} else [])
    for h in holders:
        for prep in (c for c in h.children if c.dep_ == "prep" and c.lower_ == "by" and c.i > verb.i):
            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.ent_type_ not in {"DATE", "TIME"}:
                return pobj
    return None


def _according(u: Utterance) -> bool:
    return u.cue is not None and u.cue.lower_ == "according"


def _lemma(tok: Token | None) -> str | None:
    return tok.lemma_.lower() if tok is not None else None


def _nested_redundant(inner: Utterance, outer: Utterance) -> bool:
    """An inner report adds nothing when it is a belief or the same speaker inside the outer report; an
    "according to X" record adds nothing over X's own report inside it ("X urged ..., according to X")."""
    if inner is outer or inner.kind != "reported" or outer.kind != "reported":
        return False
    if _according(inner) and inner.speaker == outer.speaker and inner.start <= outer.start and outer.end <= inner.end:
        return (inner.start, inner.end) != (outer.start, outer.end)
    if _according(outer) and inner.speaker == outer.speaker:
        return False
    if not (outer.start <= inner.start and inner.end <= outer.end) or (inner.start, inner.end) == (
        outer.start,
        outer.end,
    ):
        return False
    if inner.cue_lemma in REPORTED_DEEDS and outer.speaker is not None and not inner.party_copy:
        return True  # "X agreed to ..., according to officials": what the officials report, not X's words
    return inner.cue_lemma in COGNITION or inner.speaker == outer.speaker


def find_utterances(article: ParsedArticle, actors: ActorIndex) -> list[Utterance]:
    finder = StatementFinder(article, actors)
    found = sorted(
        finder.direct() + finder.transcript() + finder.issued_text() + finder.reported(), key=lambda u: u.start
    )
    refs = [(u.ref.token.idx if u.ref.token is not None else u.start, u.ref) for u in found if u.ref is not None]
    finder.speakers.chain(sorted(refs, key=lambda pr: pr[0]))
    for u in found:
        if u.ref is not None:
            u.speaker = u.ref.name
    found = _per_party(found, finder.speakers)
    found = [u for u in found if u.speaker is not None and finder.speakers.is_position_holder(u.speaker)]
    # one record per span: a quote also reached as a reported complement stays direct
    seen: dict[tuple[int, int, str | None], Utterance] = {}
    for u in found:
        key = (u.start, u.end, u.speaker if u.party_copy else None)
        if key not in seen or (seen[key].kind == "reported" and u.kind == "direct"):
            seen[key] = u
    found = list(seen.values())
    return sorted((u for u in found if not any(_nested_redundant(u, o) for o in found)), key=lambda u: u.start)


def _per_party(found: list[Utterance], resolver) -> list[Utterance]:
    """A collective subject that stands for the parties ("the two leaders expressed ...", "the delegations
    agreed ...") gives one utterance per party."""
    out: list[Utterance] = []
    for u in found:
        tok = u.ref.token if u.ref is not None else None
        parties = resolver.parties(tok) if tok is not None else []
        if tok is not None and not parties and tok.conjuncts and tok.pos_ in {"NOUN", "PROPN"}:
            parties = resolver.resolve_all(tok, parties=False)  # "X and Y said ...": each of them
        if len(parties) < 2:
            out.append(u)
            continue
        u.speaker = parties[0]
        out.append(u)
        out += [dataclasses.replace(u, speaker=p, party_copy=True) for p in parties[1:]]
    return out


def to_records(article: ParsedArticle, utterances: list[Utterance]) -> list[Statement]:
    out = []
    for u in utterances:
        if u.speaker is None:
            continue
        ev = article.evidence(u.start, u.end)
        sid = stable_id(article.article_id, "statement", u.start, u.end, *([u.speaker] if u.party_copy else []))
        cue = u.cue.text if u.cue is not None else u.label
        out.append(
            Statement(
                article.article_id,
                sid,
                u.speaker,
                u.speaker_mention,
                u.kind,
                u.text,
                u.act,
                cue,
                u.start,
                u.end,
                ev.evidence_text,
                ev.evidence_start,
                ev.evidence_end,
            )
        )
    return out
