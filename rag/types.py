"""The plain data that ``rag`` hands out: passages, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk as numbered in the prompt: ``[number]``."""

    number: int
    article_id: str
    title: str
    text: str
    start: int
    end: int
    score: float
    date: str | None = None  # the metadata's: the only date the model reads
    day: str = ""  # the article's firm day (ISO): metadata, or a closed range inferred; empty otherwise
    when: str = ""  # that date for people: "about Jan 2026 (from the text)"
    also_in: tuple[str, ...] = ()  # the ids of its article's wire copies (index.copies), shown as one source


@dataclass(frozen=True)
class Citation:
    """One quoted source sentence: ``article text[start:end] == quote``."""

    number: int
    article_id: str
    title: str
    quote: str
    start: int
    end: int
    date: str | None = None
    when: str = ""  # the article's date for people: "about Jan 2026 (from the text)"; empty when undated
    also_in: tuple[str, ...] = ()  # the ids of the article's wire copies: the same story printed elsewhere


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    language: str
    passages: tuple[Passage, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    uncited_claims: tuple[str, ...] = ()  # answer sentences no source backs: shown, but flagged
    standalone_question: str = ""  # a follow-up as rewritten for retrieval; empty when not rewritten
    refusal: str = ""  # why it was refused, one of rag.answer.REASONS; empty when answered
    refusal_detail: str = ""  # what failed the check: "2013", "Claudia Kalisch"
    confidence: float | None = None  # the least related cited sentence's cosine to the question; None if refused
    probability: float | None = None  # the model's probability of its answer (rag.answer.confidence); None if refused

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "refusal": self.refusal,
            "refusal_detail": self.refusal_detail,
            "confidence": self.confidence,
            "probability": self.probability,
            "language": self.language,
            "citations": [asdict(citation) for citation in self.citations],
            "passages": [asdict(passage) for passage in self.passages],
            "timings": self.timings,
            "uncited_claims": list(self.uncited_claims),
            "standalone_question": self.standalone_question,
        }
