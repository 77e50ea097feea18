from pathlib import Path

from rag import Settings
from rag.cli import main


def test_environment_overrides_defaults(tmp_path):
    settings = Settings.from_env(
        {"ARTICLE_QA_HOME": str(tmp_path), "ARTICLE_QA_TOP_K": "5", "ARTICLE_QA_LLM_PATH": "/m/other.gguf"}
    )
    assert settings.data_dir == tmp_path / "data" and settings.models_dir == tmp_path / "models"
    assert settings.top_k == 5
    assert settings.llm_file == Path("/m/other.gguf") and not settings.uses_default_llm
    assert settings.embedder_model == str(tmp_path / "models" / "embeddinggemma-300m")


def test_models_check_names_the_fix_when_models_are_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARTICLE_QA_MODELS_DIR", str(tmp_path))
    assert main(["models", "check"]) == 1
    out = capsys.readouterr()
    assert "missing" in out.out
    assert "article-qa models pull" in out.err


def test_ask_without_models_is_one_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    assert main(["ask", "How many stores?"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "article-qa models pull" in err[0]


def test_list_on_an_empty_index(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    assert main(["list"]) == 0
    assert "The index is empty" in capsys.readouterr().out
