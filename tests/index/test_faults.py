"""Faults, with nothing lost: kill -9 in the middle of a Chroma write, and a disk that fills up
during an ingest. (kill -9 between articles and a Chroma server restart: test_chroma_store.py;
corrupt or truncated models: test_model_files.py.) Figures go to the run's "figures" section."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index import ChromaStore, StoreError, ingest
from index.store import WRITING
from tests.conftest import ROOT
from tests.index.test_chroma_store import assert_index_matches, chunker_for, write_corpus

pytestmark = pytest.mark.integration

# Ingests a folder an article a batch; the third article's record (the commit marker, written after its chunks)
# stalls, so that the parent can kill the process in the middle of that article's write.
STALLED_WRITE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from index import ChromaStore, ingest, read_folder
    from tests.index.test_chroma_store import chunker_for
    from tests.fakes import FakeEmbedder

    class StallingRecords:
        def __init__(self, collection):
            self.collection, self.writes = collection, 0

        def __getattr__(self, name):
            return getattr(self.collection, name)

        def upsert(self, **record):
            self.writes += 1
            if self.writes == 3:
                print("MID-WRITE", record["ids"][0], flush=True)
                time.sleep(600)
            return self.collection.upsert(**record)

    store = ChromaStore.persistent(Path(sys.argv[2]))
    store._articles = StallingRecords(store._articles)
    articles, _ = read_folder(Path(sys.argv[1]))
    ingest(articles, store=store, chunker=chunker_for(FakeEmbedder()), embedder=FakeEmbedder(), batch_chunks=1)
    """
)


def test_kill_9_in_the_middle_of_a_chroma_write_loses_and_duplicates_nothing(tmp_path, embedder, figure):
    articles = write_corpus(tmp_path / "corpus", 6)
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_WRITE, str(tmp_path / "corpus"), str(tmp_path / "chroma")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    line = child.stdout.readline()
    assert line.startswith("MID-WRITE"), line
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    half_written = line.split()[1]

    store = ChromaStore.persistent(tmp_path / "chroma")
    assert store.version().startswith(WRITING)  # readers can tell: the write never finished
    committed = store.catalog()
    assert half_written not in committed and len(committed) == 2
    left_behind = store.chunk_count() - sum(entry.chunk_count for entry in committed.values())
    assert left_behind > 0  # the killed write's chunks, without their record

    report = ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    assert len(report.unchanged) == 2 and len(report.added) == 4
    assert_index_matches(store, articles, chunker_for(embedder))
    assert not store.version().startswith(WRITING)
    figure(
        f"kill -9 while writing {half_written}: {left_behind} chunks without their record, swept on resume; "
        f"the index then holds exactly the {len(articles)} articles' chunks (none missing, duplicated or orphaned)"
    )


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MiB tmpfs (mounting needs root, as CI and `make test` on this project's machines have)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> None:
    descriptor = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def test_a_disk_that_fills_during_ingest_is_one_clear_error_and_the_index_stays_valid(
    small_disk, tmp_path, embedder, figure
):
    articles = write_corpus(tmp_path / "corpus", 40)
    store = ChromaStore.persistent(small_disk / "index", min_free_bytes=0)  # let the write itself hit the full disk
    ingest(articles[:5], store=store, chunker=chunker_for(embedder), embedder=embedder)
    fill(small_disk)
    with pytest.raises(StoreError, match="filled up") as full:
        ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    with pytest.raises(StoreError, match="filled up"):  # at once: Chroma's client would hang on the next write
        ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    assert sorted(store.catalog()) == sorted(a.id for a in articles[:5])  # still readable, nothing half-committed

    (small_disk / "filler").unlink()
    resumed = in_a_new_process(RESUME, tmp_path / "corpus", small_disk / "index")  # as the message says
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    # checked by a new process too: this one's client is the one the full disk broke, and it may
    # still hold the database's lock (seen once in CI: "database is locked")
    checked = in_a_new_process(CHECK, tmp_path / "corpus", small_disk / "index")
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert "start article-qa again" in str(full.value)
    figure(
        f"disk full after 5 of {len(articles)} articles: one StoreError, later writes refused at once (no hang); "
        f"a new process after freeing space: {resumed.stdout.strip()}; index matches the articles"
    )


def in_a_new_process(script: str, *arguments: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


CHECK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from index import ChromaStore, read_folder
    from tests.index.test_chroma_store import assert_index_matches, chunker_for
    from tests.fakes import FakeEmbedder

    articles, _ = read_folder(Path(sys.argv[1]))
    assert_index_matches(ChromaStore.persistent(Path(sys.argv[2])), articles, chunker_for(FakeEmbedder()))
    """
)
RESUME = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from index import ChromaStore, ingest, read_folder
    from tests.index.test_chroma_store import chunker_for
    from tests.fakes import FakeEmbedder

    store = ChromaStore.persistent(Path(sys.argv[2]), min_free_bytes=0)
    articles, _ = read_folder(Path(sys.argv[1]))
    print(ingest(articles, store=store, chunker=chunker_for(FakeEmbedder()), embedder=FakeEmbedder()).summary())
    """
)


def test_an_ingest_with_too_little_free_disk_writes_nothing(small_disk, tmp_path, embedder):
    articles = write_corpus(tmp_path / "corpus", 3)
    store = ChromaStore.persistent(small_disk / "index")  # the default margin is more than this disk holds
    with pytest.raises(StoreError, match=r"MiB free on the disk of .*nothing was written"):
        ingest(articles, store=store, chunker=chunker_for(embedder), embedder=embedder)
    assert store.catalog() == {} and store.chunk_count() == 0
