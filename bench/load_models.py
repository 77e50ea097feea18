"""The reference for the cold-start benchmark: a process that only loads the two models.

``python -m bench.load_models`` loads the embedder (embedding one query) and the LLM (one
warm-up), then ends at once: once in about ten runs, llama.cpp's threads kept a finished
process from exiting, which would be timed here and is not what this reference measures.
"""

import os

from rag import Settings
from rag.backends import LlamaCppBackend
from rag.parts import open_embedder

if __name__ == "__main__":
    settings = Settings.from_env()
    open_embedder(settings).embed_query("warm-up")
    LlamaCppBackend(settings.llm_file, threads=settings.threads).warm_up()
    os._exit(0)
