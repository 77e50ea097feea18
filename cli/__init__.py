"""The ``article-qa`` command line: the entry point above every package.

It sits on top so that the one-way imports hold (index <- rag <- ui, eval, bench <- cli): each
command imports only what it needs, when it runs.
"""
