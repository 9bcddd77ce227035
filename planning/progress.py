"""Progress bars for long CLI work, fed by the libraries' progress callbacks."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(desc: str, total: float = 1.0) -> Iterator[Callable[[float], None]]:
    """Yield a callback taking the fraction done (0-1); draws a bar on stderr."""
    bar = tqdm(total=total, desc=desc, file=sys.stderr, leave=False,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}",
               disable=not sys.stderr.isatty())
    done = 0.0

    def update(fraction: float) -> None:
        nonlocal done
        target = min(max(fraction, 0.0), 1.0) * total
        if target > done:
            bar.update(target - done)
            done = target

    try:
        yield update
    finally:
        bar.close()
