"""The HTTP API over one shared ``rag.Assistant``: questions with citations, the article library,
and OpenAI-compatible chat (``api.app`` lists the endpoints).

from api import build_api, serve
serve(Assistant.open(), port=8080)                 # this machine only
serve(qa, host="0.0.0.0", api_key=settings.api_key)  # beyond it: a key is needed
"""

from api.app import build_api, check_exposure, mount_ui, serve

__all__ = ["build_api", "check_exposure", "mount_ui", "serve"]
