"""The command line facing bad input: a bad value is one usage line and exit 2 before any work, not an
error after a run; what articles say cannot steer the terminal."""

import pytest

from cli.main import main


@pytest.mark.parametrize(
    "arguments, named",
    [
        (["--k", "-3"], "--k: must be a whole number from 1 to 50, got '-3'"),
        (["--k", "abc"], "--k: must be a whole number from 1 to 50, got 'abc'"),
        (["--limit", "0"], "--limit: must be a whole number"),
        (["--spread", "-1"], "--spread: must be a whole number"),
        (["--min-accuracy", "1.5"], "--min-accuracy: must be a number from 0 to 1, got '1.5'"),
        (["--json-out", "."], "--json-out: . is a folder; give a file name in it"),
        (["--markdown-out", "no/such/folder/report.md"], "--markdown-out: the folder of no/such/folder/report.md"),
    ],
)
def test_a_bad_eval_argument_is_refused_before_the_run(arguments, named, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "set.yaml").write_text("- question: Wie viele?\n  expect: {number: 150}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["eval", "set.yaml", *arguments])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and named in err and "Traceback" not in err


def test_list_and_show_never_pass_an_escape_sequence_to_the_terminal(monkeypatch, capsys):
    import rag.parts
    from index.types import Article
    from tests.fakes import MemoryStore

    store = MemoryStore()
    hostile = Article(id="feed-\x1b[2J", title="\x1b]0;pwned\x07Title\u202e", text="Text \x1b[31mred.", url="x\x00y")
    store.replace_article(hostile, [], [], fingerprint="f", content_hash="h")
    monkeypatch.setattr(rag.parts, "open_store", lambda settings: store)
    assert main(["list"]) == 0
    assert main(["show", "feed-\x1b[2J", "--text"]) == 0
    out = capsys.readouterr().out
    assert not any(char in out for char in "\x1b\x07\x00\u202e")
    assert "\\x1b]0;pwned\\x07Title\\u202e" in out and "Text \\x1b[31mred." in out


@pytest.mark.parametrize(
    "arguments, named",
    [
        (["--since", "yesterday"], "since 'yesterday' is not a date"),
        (["--until", "2026-02-30"], "until '2026-02-30' is not a date"),
        (["--since", "2026", "--until", "2025"], "--since 2026-01-01 is after --until 2025-12-31"),
    ],
)
def test_a_bad_date_range_is_refused_before_any_model_loads(arguments, named, capsys):
    assert main(["ask", "How many stores?", *arguments]) == 2  # no model is pulled for unit tests: none was read
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err
