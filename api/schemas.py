"""The request bodies the API reads (pydantic models: FastAPI checks them and lists them at /docs).

``/v1/ask`` and ``/v1/articles`` refuse fields they do not know (a misspelt ``topk`` is a 422,
not a setting silently left out); ``/v1/chat/completions`` accepts and ignores them, as OpenAI
clients send many (temperature, max_tokens, ...).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.errors import ApiError

MAX_URLS = 20  # URLs per request: each is fetched and indexed before the reply
MODEL_ID = "article-qa"


class HistoryTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str
    answer: str


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question, in English or German.")
    history: list[tuple[str, str] | HistoryTurn] = Field(
        default_factory=list,
        description="Earlier turns of the chat, oldest first: [question, answer] pairs or {question, answer}.",
    )
    since: str | None = Field(None, description="Only articles written since then: 2026-01-15, 2026-01 or 2026.")
    until: str | None = Field(None, description="Only articles written until then (to that day, month or year's end).")
    # strict: "5" and true are no numbers, "yes" no switch
    top_k: int | None = Field(
        None, strict=True, description="Passages retrieved (1 to 50; default: the server's setting)."
    )
    stream: bool = Field(
        False, strict=True, description="Answer with server-sent events: passage, delta ..., answer (or error)."
    )

    def turns(self) -> list[tuple[str, str]]:
        return [(turn.question, turn.answer) if isinstance(turn, HistoryTurn) else turn for turn in self.history]


class UrlsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(min_length=1, max_length=MAX_URLS, description="RSS/Atom feeds or article pages.")


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: str
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        """The message's text; an ApiError (422) for a part that is not text (an image, a file)."""
        if self.content is None or isinstance(self.content, str):
            return self.content or ""
        kinds = {part.type for part in self.content if part.type != "text"}
        if kinds:
            kinds_named = ", ".join(sorted(kinds))
            raise ApiError(
                422, f"article-qa reads text only; a {self.role} message has {kinds_named}.", code="unsupported_content"
            )
        return "\n".join(part.text or "" for part in self.content)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str = Field(MODEL_ID, description=f"Any name: the one model here, {MODEL_ID}, answers.")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = Field(False, strict=True)
