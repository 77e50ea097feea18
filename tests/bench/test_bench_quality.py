"""bench.quality: the model's replies kept on disk, so a re-run asks only new prompts."""

from bench.quality import RepliesOnDisk
from tests.fakes import ScriptedBackend


def test_a_prompt_seen_before_is_answered_from_disk(tmp_path):
    inner = ScriptedBackend("First reply [1].", "Second reply [1].")
    replies = RepliesOnDisk(inner, tmp_path / "replies")
    prompt = [{"role": "user", "content": "How many?"}]
    assert "".join(replies.stream_chat(prompt, max_tokens=10)) == "First reply [1]."
    assert "".join(replies.stream_chat(prompt, max_tokens=10)) == "First reply [1]."  # from disk
    assert "".join(replies.stream_chat(prompt, max_tokens=20)) == "Second reply [1]."  # another prompt
    assert len(inner.prompts) == 2
