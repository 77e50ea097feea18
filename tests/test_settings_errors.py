"""Every setting is checked once, at the entry points: a bad value is one line naming the
variable, what it allows and what it got, and the CLI exits 2 without a traceback."""

from pathlib import Path

import pytest

from cli.main import main
from rag import Settings, SettingsError
from rag.settings import RULES, TEXT

BAD_VALUES = {
    "DATA_DIR": "FILE",
    "MODELS_DIR": "FILE",
    "ARTICLES": "FILE",
    "COLLECTION": "a",
    "CHROMA_HOST": "http://10.0.0.5:8000",
    "CHROMA_PORT": "70000",
    "CHROMA_SSL": "maybe",
    "MAX_FILE_BYTES": "0",
    "CHUNK_TOKENS": "ten",
    "OVERLAP_TOKENS": "-1",
    "EMBEDDER_BACKEND": "gpu",
    "LLM_URL": "localhost:8080",
    "LLM_GRAMMAR": "2",
    "TOP_K": "abc",
    "MIN_SCORE": "-5",
    "BUDGET_TOKENS": "lots",
    "THREADS": "-2",
}


def test_every_checked_setting_has_a_bad_value_here():
    checked = {name for name, rule in RULES.values() if rule is not TEXT}
    assert checked == set(BAD_VALUES)


@pytest.mark.parametrize("name", [*BAD_VALUES, "HOME"])
def test_a_bad_value_is_one_line_naming_the_variable_and_the_cli_exits_2(name, tmp_path, monkeypatch, capsys):
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("not a folder")
    value = str(a_file) if BAD_VALUES.get(name, "FILE") == "FILE" else BAD_VALUES[name]
    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    monkeypatch.setenv(f"ARTICLE_QA_{name}", value)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"ARTICLE_QA_{name} must be " in err and repr(value) in err


def test_the_message_says_what_is_allowed():
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"ARTICLE_QA_TOP_K": "abc"})
    assert str(raised.value) == "ARTICLE_QA_TOP_K must be a whole number from 1 to 50, got 'abc'"


def test_every_bad_value_gets_its_own_line():
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"ARTICLE_QA_TOP_K": "0", "ARTICLE_QA_CHROMA_SSL": "maybe"})
    assert sorted(line.split()[0] for line in str(raised.value).splitlines()) == [
        "ARTICLE_QA_CHROMA_SSL",
        "ARTICLE_QA_TOP_K",
    ]


def test_an_overlap_as_long_as_the_chunk_is_refused():
    with pytest.raises(SettingsError, match="ARTICLE_QA_OVERLAP_TOKENS must be less than"):
        Settings.from_env({"ARTICLE_QA_CHUNK_TOKENS": "100", "ARTICLE_QA_OVERLAP_TOKENS": "100"})


def test_settings_made_in_code_are_checked_too_and_take_keywords_only(tmp_path) -> None:
    base = Settings.defaults(tmp_path)
    with pytest.raises(SettingsError, match="ARTICLE_QA_TOP_K must be a whole number from 1 to 50, got 0"):
        Settings(data_dir=tmp_path, models_dir=tmp_path, articles_dir=tmp_path, top_k=0)
    with pytest.raises(TypeError):
        Settings(tmp_path, tmp_path, tmp_path)  # type: ignore[call-arg]  # keywords only
    assert base.top_k == 5


def test_good_values_are_read():
    settings = Settings.from_env({"ARTICLE_QA_LLM_URL": "http://127.0.0.1:8080/v1", "ARTICLE_QA_CHROMA_SSL": "off"})
    assert settings.llm_url == "http://127.0.0.1:8080/v1" and settings.chroma_ssl is False


def test_configured_refuses_a_value_out_of_range(make_assistant):
    assistant = make_assistant()
    with pytest.raises(SettingsError, match="top_k must be a whole number from 1 to 50, got 0"):
        assistant.configured(top_k=0)
    assert assistant.configured(top_k=3).top_k == 3 and assistant.configured().top_k == assistant.top_k


def test_a_developers_own_settings_never_reach_a_test():
    import os

    from tests.conftest import TEST_HARNESS_VARIABLES

    seen = [name for name in os.environ if name.startswith("ARTICLE_QA_") and name not in TEST_HARNESS_VARIABLES]
    assert seen == ["ARTICLE_QA_MODELS_DIR"]  # the empty folder every unit test gets
    assert not any(Path(os.environ["ARTICLE_QA_MODELS_DIR"]).iterdir())


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_a_file(monkeypatch, capsys):
    import cli.main as cli

    def broken(args, settings):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "cmd_list", broken)
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "unexpected RuntimeError: boom" in err
    log = err.split("details in ")[1].split(";")[0]
    assert "Traceback" in open(log, encoding="utf-8").read()
