from pathlib import Path

import pytest

from cli.main import main
from rag import Settings


def test_environment_overrides_defaults(tmp_path):
    settings = Settings.from_env(
        {
            "ARTICLE_QA_HOME": str(tmp_path),
            "ARTICLE_QA_TOP_K": "5",
            "ARTICLE_QA_LLM_PATH": "/m/other.gguf",
            "ARTICLE_QA_CHROMA_HOST": "10.0.0.5",
            "ARTICLE_QA_CHROMA_PORT": "9000",
            "ARTICLE_QA_CHROMA_SSL": "true",
            "ARTICLE_QA_CHUNK_TOKENS": "200",
            "ARTICLE_QA_MAX_FILE_BYTES": "1000",
        }
    )
    assert settings.data_dir == tmp_path / "data" and settings.models_dir == tmp_path / "models"
    assert settings.top_k == 5 and settings.chunk_tokens == 200 and settings.max_file_bytes == 1000
    assert settings.llm_file == Path("/m/other.gguf") and not settings.uses_default_llm
    assert (settings.chroma_host, settings.chroma_port, settings.chroma_ssl) == ("10.0.0.5", 9000, True)
    assert settings.embedder_model == str(tmp_path / "models" / "embeddinggemma-300m")


def test_secrets_never_show_in_the_settings_repr():
    settings = Settings.from_env({"ARTICLE_QA_LLM_API_KEY": "sk-123", "ARTICLE_QA_CHROMA_TOKEN": "tok-456"})
    assert "sk-123" not in repr(settings) and "tok-456" not in repr(settings)
    assert "llm_api_key=***" in repr(settings)


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


@pytest.fixture
def filled_home(tmp_path, monkeypatch, sample_articles, embedder):
    """An index on disk filled with the samples by the fake embedder, as the CLI sees it."""
    from index import ChromaStore, SentenceChunker, ingest, read_folder

    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    store = ChromaStore.persistent(Settings.from_env().chroma_dir)
    ingest(read_folder(sample_articles)[0], store=store, chunker=SentenceChunker(str.split), embedder=embedder)
    return tmp_path


@pytest.mark.integration
def test_list_show_and_remove(filled_home, capsys):
    assert main(["list"]) == 0
    listing = capsys.readouterr().out
    assert "xiaomi-ford-geruecht" in listing and "Xiaomi Aktie: Ford-Gerücht dementiert" in listing
    assert "Xiaomi will Online-Shop für Zubehör in den USA eröffnen" in listing

    assert main(["show", "xiaomi-zubehoer-usa"]) == 0
    shown = capsys.readouterr().out
    assert "removed by cleaning: 7" in shown and "[credit] Bild: dpa" in shown and "[kicker] Geschäftsmodell" in shown

    assert main(["remove", "xiaomi-zubehoer-usa", "no-such-article"]) == 1
    out = capsys.readouterr()
    assert "removed xiaomi-zubehoer-usa" in out.out and "not in the index: no-such-article" in out.err
    assert main(["list"]) == 0
    assert "xiaomi-zubehoer-usa" not in capsys.readouterr().out


@pytest.mark.integration
def test_list_on_an_empty_index(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))
    assert main(["list"]) == 0
    assert "The index is empty" in capsys.readouterr().out


def test_ingest_of_a_missing_folder_is_one_clear_error_before_any_model_loads(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))  # no models in it
    code = main(["ingest", str(tmp_path / "nope")])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err


def test_eval_convert_squad_writes_corpus_and_dataset(tmp_path, capsys):
    import json

    from tests.eval.test_eval_harness import SQUAD_DE, SQUAD_EN

    (tmp_path / "xquad.de.json").write_text(json.dumps(SQUAD_DE), encoding="utf-8")
    (tmp_path / "xquad.en.json").write_text(json.dumps(SQUAD_EN), encoding="utf-8")
    out = tmp_path / "out"
    argv = ["eval", "convert-squad", str(tmp_path / "xquad.de.json"), "--out", str(out)]
    assert main([*argv, "--questions-from", str(tmp_path / "xquad.en.json")]) == 0
    assert "1 articles" in capsys.readouterr().out
    assert (out / "corpus" / "harbour_regatta_12.md").is_file() and (out / "dataset.jsonl").is_file()


def test_eval_of_a_broken_dataset_is_one_clear_error(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("- question: [unclosed", encoding="utf-8")
    assert main(["eval", str(tmp_path / "bad.yaml")]) == 2
    assert "not valid YAML" in capsys.readouterr().err


def test_the_ui_command_serves_with_the_login_and_the_model_urls_of_the_settings(make_assistant, monkeypatch):
    import ui.app
    from rag.assistant import Assistant

    assistant, served = make_assistant(), {}
    monkeypatch.setattr(Assistant, "open", staticmethod(lambda settings: assistant))
    monkeypatch.setattr(ui.app, "launch", lambda qa, **options: served.update(options, assistant=qa))
    monkeypatch.setenv("ARTICLE_QA_UI_USER", "reader")
    monkeypatch.setenv("ARTICLE_QA_UI_PASSWORD", "a-long-password")
    monkeypatch.setenv("ARTICLE_QA_UI_LLM_URLS", "http://10.0.0.5:8080/v1")
    assert main(["ui", "--host", "0.0.0.0", "--port", "7000"]) == 0
    assert served["assistant"] is assistant and (served["host"], served["port"]) == ("0.0.0.0", 7000)
    assert served["auth"] == ("reader", "a-long-password")
    assert served["model_urls"] == ("http://10.0.0.5:8080/v1",)


def test_serve_beyond_this_machine_without_a_key_stops_before_any_model_loads(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ARTICLE_QA_HOME", str(tmp_path))  # no models in it: a load would fail otherwise
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "ARTICLE_QA_API_KEY" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["serve", "--ui", "--port", "7001"], ["ui", "--api", "--port", "7001"]])
def test_serve_with_the_ui_and_ui_with_the_api_are_one_process_with_both(make_assistant, monkeypatch, argv):
    import api
    from rag.assistant import Assistant

    assistant, served = make_assistant(), {}
    monkeypatch.setattr(Assistant, "open", staticmethod(lambda settings: assistant))
    monkeypatch.setattr(api, "serve", lambda qa, **options: served.update(options, assistant=qa))
    monkeypatch.setenv("ARTICLE_QA_API_KEY", "a-key-of-sixteen-chars")
    assert main(argv) == 0
    assert served["assistant"] is assistant and (served["host"], served["port"]) == ("127.0.0.1", 7001)
    assert served["api_key"] == "a-key-of-sixteen-chars" and served["ui"] is not None
    assert served["ui_options"]["max_file_size"] == assistant.max_file_bytes and served["middleware"]
