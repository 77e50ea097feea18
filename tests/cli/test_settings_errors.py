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
    "EMBEDDER_URL": "localhost:7997",
    "LLM_URL": "localhost:8080",
    "LLM_GRAMMAR": "2",
    "TOP_K": "abc",
    "MIN_SCORE": "-5",
    "MIN_CONFIDENCE": "1.5",
    "MIN_ANSWER_PROBABILITY": "-0.1",
    "BUDGET_TOKENS": "lots",
    "THREADS": "-2",
    "UI_LLM_URLS": "http://127.0.0.1:8080, localhost:8080",
    "UI_PASSWORD": "short",
    "API_KEY": "short-key",
    "API_CORS_ORIGINS": "http://localhost:3000/chat",
    "FETCH_ALLOW": "intranet.example, http://10.0.0.0/8",
    "FETCH_DEADLINE_S": "0",
}
SECRETS = {"UI_PASSWORD", "API_KEY"}  # a bad secret's message says what is wrong without showing it


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
    assert f"ARTICLE_QA_{name} must be " in err
    if name in SECRETS:
        assert value not in err and f"got {len(value)} characters" in err
    else:
        assert repr(value) in err


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


def test_threads_are_bounded_by_the_cores_so_a_huge_number_cannot_hang_ingest():
    import os

    most = 4 * (os.cpu_count() or 1)
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"ARTICLE_QA_THREADS": "100000"})
    assert str(raised.value) == f"ARTICLE_QA_THREADS must be a whole number from 0 (all cores) to {most}, got '100000'"
    assert Settings.from_env({"ARTICLE_QA_THREADS": str(most)}).threads == most
    assert Settings.from_env({"ARTICLE_QA_THREADS": "0"}).threads == 0


def test_a_login_password_needs_12_characters_and_is_never_shown():
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"ARTICLE_QA_UI_USER": "reader", "ARTICLE_QA_UI_PASSWORD": "pass-word-9"})
    assert str(raised.value) == "ARTICLE_QA_UI_PASSWORD must be at least 12 characters, got 11 characters"
    settings = Settings.from_env({"ARTICLE_QA_UI_USER": "reader", "ARTICLE_QA_UI_PASSWORD": "pass-word-10"})
    assert (settings.ui_user, settings.ui_password) == ("reader", "pass-word-10")


@pytest.mark.parametrize(
    "env, named",
    [
        ({"ARTICLE_QA_UI_USER": "reader"}, "ARTICLE_QA_UI_USER is set without ARTICLE_QA_UI_PASSWORD"),
        ({"ARTICLE_QA_UI_PASSWORD": "a-long-password"}, "ARTICLE_QA_UI_PASSWORD is set without ARTICLE_QA_UI_USER"),
    ],
)
def test_half_a_login_refuses_to_start_the_ui(env, named, monkeypatch, capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["ui", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err and "Traceback" not in err
    assert "a-long-password" not in err


def test_model_urls_for_the_ui_are_a_comma_separated_list_of_urls():
    settings = Settings.from_env({"ARTICLE_QA_UI_LLM_URLS": " http://10.0.0.5:8080/v1 ,https://llm.example.org/ ,"})
    assert settings.ui_llm_urls == ("http://10.0.0.5:8080/v1", "https://llm.example.org/")
    assert Settings.from_env({}).ui_llm_urls == ()
    with pytest.raises(SettingsError, match="ARTICLE_QA_UI_LLM_URLS must be a comma-separated list of http"):
        Settings.from_env({"ARTICLE_QA_UI_LLM_URLS": "file:///etc/passwd"})


def test_cors_origins_for_the_api_are_a_comma_separated_list_of_origins():
    settings = Settings.from_env({"ARTICLE_QA_API_CORS_ORIGINS": " http://localhost:3000 ,https://chat.example.org,"})
    assert settings.api_cors_origins == ("http://localhost:3000", "https://chat.example.org")
    assert Settings.from_env({}).api_cors_origins == ()
    for wrong in ("*", "localhost:3000", "https://chat.example.org/"):
        with pytest.raises(
            SettingsError, match="ARTICLE_QA_API_CORS_ORIGINS must be a comma-separated list of origins"
        ):
            Settings.from_env({"ARTICLE_QA_API_CORS_ORIGINS": wrong})


def test_the_api_key_is_read_checked_for_length_and_kept_out_of_the_repr():
    settings = Settings.from_env({"ARTICLE_QA_API_KEY": "key-of-16-chars!"})
    assert settings.api_key == "key-of-16-chars!"
    assert "key-of-16-chars!" not in repr(settings) and "api_key=***" in repr(settings)
    assert "api_key=''" in repr(Settings.from_env({}))
    with pytest.raises(SettingsError, match="ARTICLE_QA_API_KEY must be at least 16 characters, got 9 characters"):
        Settings.from_env({"ARTICLE_QA_API_KEY": "short-key"})
