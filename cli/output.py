"""What the commands print: to stdout the results, to stderr the rest, both made safe for a
terminal; and the progress of an ingest."""

from __future__ import annotations

import re
import sys
import time

INTERRUPTED = 130  # the exit status of a program stopped by Ctrl-C

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def say(message: str) -> None:
    print(terminal_safe(message), file=sys.stderr)


def out(text: str) -> None:
    """Print what came from articles, files or the model: its control characters cannot steer the terminal."""
    print(terminal_safe(text))


def terminal_safe(text: str) -> str:
    """Control characters (escape sequences, NUL, bidi overrides) shown as visible escapes; lines and tabs kept."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


PROGRESS_LINE_S = 15


def progress_bar(bar):
    """tqdm counts the articles (its rate is articles/s, its estimate the time left); the postfix
    adds the chunks embedded and their rate. Without a terminal (a log, a pipe: tqdm is off), a
    plain line every ``PROGRESS_LINE_S`` seconds says the same."""
    last_line = time.monotonic()

    def on_progress(progress) -> None:
        nonlocal last_line
        bar.total = max(progress.total, progress.done) or None
        bar.update(progress.done - bar.n)
        bar.set_postfix(chunks=progress.chunks_embedded, chunks_per_s=f"{progress.chunks_per_s:.1f}", refresh=False)
        if bar.disable and time.monotonic() - last_line >= PROGRESS_LINE_S:
            last_line = time.monotonic()
            print(progress_line(progress), file=sys.stderr, flush=True)

    return on_progress


def progress_line(progress) -> str:
    """ "ingest: 1,200/100,000 articles, 11.8 articles/s, 52.3 chunks/s, about 2h19m left"."""
    total = f"/{progress.total:,}" if progress.total else ""
    line = (
        f"ingest: {progress.done:,}{total} articles, {progress.articles_per_s:.1f} articles/s, "
        f"{progress.chunks_per_s:.1f} chunks/s"
    )
    if progress.eta_s is not None:
        hours, minutes = divmod(round(progress.eta_s / 60), 60)
        line += f", about {f'{hours}h{minutes:02d}m' if hours else f'{max(minutes, 1)}m'} left"
    return line
