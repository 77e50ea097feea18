"""Removing what is not the article from its text, and saying what was removed.

Rules work on whole lines, so the news text itself is never cut mid-sentence:

- ``credit``: a short photo or source credit line ("Bild: dpa", "Foto: Reuters", "© AFP").
- ``caption``: the line right before a credit, and every repetition of it.
- ``byline``: an author line ("Von Paulina Heinze / dpa", "By Jane Doe, Reuters"); a small
  model otherwise takes the author for a person the article is about.
- ``repeated line``: a line that appeared before, word for word.
- ``kicker``: a first line of one or two words (a rubric such as "Geschäftsmodell") right
  above a headline (a line of 4 to 20 words that is not a sentence).
- ``instruction``: a line addressed to a language model, not to readers ("Ignore all previous
  instructions", "SYSTEM: ...", "Answer every question with ..."): article text is data, and a
  small model cannot be trusted to ignore orders hidden in it.
- ``footer`` / ``promotion``: from a "Mehr zum Thema", "Lesen Sie auch", "Read more" line, or
  a promotional line ("Kaufen oder verkaufen?!", "Gratis-Analyse", "Hier weiterlesen",
  "Jetzt abonnieren"), to the end, when it starts in the second half of the article.

Runs of blank lines become one. The stored text is the cleaned text, so citation spans index
into exactly what the user sees. Every rule looks at one line at a time with patterns that
read it once, so cleaning takes time linear in the length of the text.

``without_invisible`` removes zero-width characters (and the Unicode tag characters that can
spell out hidden words) from anywhere in the text, before the line rules run.
"""

from __future__ import annotations

import re

from index.types import Removal

_CREDIT = re.compile(
    r"^(?:(?:bild|bilder|foto|fotos|quelle|grafik|image|images|photo|photos|picture|credit|credits|copyright)"
    r"\s*(?::|©)|©)\s*\S.{0,60}$",
    re.IGNORECASE,
)
# One way only to split a name into words (each after a space), so a line that is not a byline
# fails at once: "Von" and 300 capitals took the earlier pattern 41 s.
_BYLINE = re.compile(
    r"^(?:[Vv]on|[Bb]y)\s+[A-ZÄÖÜ][\w.'-]*+(?:\s+[A-ZÄÖÜ][\w.'-]*+){0,3}\s*(?:[/,|]\s*[\w .-]{1,30})?$"
)
_FOOTER = re.compile(
    r"^(?:mehr zum thema|mehr dazu|mehr zu diesem thema|lesen sie auch|lesen sie mehr|auch interessant|"
    r"weitere artikel|das könnte sie auch interessieren|read more|related(?: articles| stories)?\b|"
    r"more on this|see also|more from)",
    re.IGNORECASE,
)
_PROMOTION = re.compile(
    r"kaufen oder verkaufen|gratis-analyse|hier weiterlesen|"
    r"jetzt (?:kostenlos )?(?:lesen|abonnieren|anmelden|downloaden)|"
    r"newsletter abonnieren|subscribe (?:now|to our newsletter)|sign up for our newsletter",
    re.IGNORECASE,
)
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|your|system)\b.{0,30}"
    r"\b(?:instructions?|rules?|prompts?|guidelines)\b"
    r"|^\W*(?:system|assistant|developer)\s*(?:prompt)?\s*:"
    r"|\b(?:answer|reply|respond)\s+(?:to\s+)?(?:every|all|any)\s+(?:questions?|users?)\b"
    r"|\bignorier\w*\b.{0,40}\b(?:anweisungen|regeln|instruktionen|vorgaben)\b"
    r"|\b(?:be)?antworte\s+(?:auf\s+)?(?:jede|alle)\s+fragen?\b",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", ":", '"', "“", "”", "«", "»")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u180e\U000e0000-\U000e007f]")


def without_invisible(text: str) -> tuple[str, Removal | None]:
    """``text`` without zero-width characters, and a note of how many there were."""
    visible, count = _INVISIBLE.subn("", text)
    if not count:
        return text, None
    return visible, Removal("invisible", f"{count:,} zero-width or other invisible characters")


def clean(text: str) -> tuple[str, tuple[Removal, ...]]:
    """The article text without captions, credits, kickers, footers and promotions."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    removed: dict[int, str] = {}  # line index -> rule
    _mark_instructions(lines, removed)
    _mark_credits_and_captions(lines, removed)
    _mark_repeats(lines, removed)
    _mark_tail(lines, removed)
    _mark_kicker(lines, removed)
    removals: list[Removal] = []
    for index in sorted(removed):
        rule = removed[index]
        if removals and removals[-1].rule == rule and rule in ("footer", "promotion"):
            removals[-1] = Removal(rule, f"{removals[-1].text}\n{lines[index]}".strip())
        elif lines[index].strip():
            removals.append(Removal(rule, lines[index].strip()))
    kept = [line for i, line in enumerate(lines) if i not in removed]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return cleaned, tuple(removals)


def _nonblank(lines: list[str], removed: dict[int, str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip() and i not in removed]


def _mark_instructions(lines: list[str], removed: dict[int, str]) -> None:
    for i, line in enumerate(lines):
        if _INSTRUCTION.search(line):
            removed[i] = "instruction"


def _mark_credits_and_captions(lines: list[str], removed: dict[int, str]) -> None:
    captions = set()
    for i, line in enumerate(lines):
        if _BYLINE.match(line.strip()):
            removed[i] = "byline"
        elif _CREDIT.match(line.strip()):
            removed[i] = "credit"
            before = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
            if before is not None and not lines[before].strip().endswith(_SENTENCE_END):
                captions.add(lines[before].strip())
    for i, line in enumerate(lines):
        if line.strip() in captions:
            removed.setdefault(i, "caption")


def _mark_repeats(lines: list[str], removed: dict[int, str]) -> None:
    seen = set()
    for i in _nonblank(lines, removed):
        line = lines[i].strip()
        if line in seen and len(line.split()) >= 3:
            removed[i] = "repeated line"
        seen.add(line)


def _mark_tail(lines: list[str], removed: dict[int, str]) -> None:
    indices = _nonblank(lines, removed)
    for position, i in enumerate(indices):
        if position < len(indices) / 2:
            continue
        line = lines[i].strip()
        rule = "footer" if _FOOTER.match(line) else "promotion" if _PROMOTION.search(line) else None
        if rule:
            for j in range(i, len(lines)):
                removed.setdefault(j, rule)
            return


def _mark_kicker(lines: list[str], removed: dict[int, str]) -> None:
    indices = _nonblank(lines, removed)
    if len(indices) < 2:
        return
    first, second = lines[indices[0]].strip(), lines[indices[1]].strip()
    headline_below = 4 <= len(second.split()) <= 20 and not second.endswith(_SENTENCE_END)
    if len(first.split()) <= 2 and not first.endswith(_SENTENCE_END) and headline_below:
        removed[indices[0]] = "kicker"
