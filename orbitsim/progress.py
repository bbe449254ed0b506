"""Progress bars for long work: on in a terminal, off otherwise (CI logs, pipes, notebooks' files)."""

from __future__ import annotations

import sys

from tqdm.auto import tqdm


def progress(iterable=None, *, total=None, desc: str | None = None, enabled: bool | None = None, **kw):
    """Wrap ``iterable`` in a tqdm bar on stderr; disabled unless stderr is a terminal.

    Parameters
    ----------
    enabled : bool, optional
        Force the bar on or off; ``None`` (default) means "only when stderr is a TTY".
    """
    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(iterable, total=total, desc=desc, disable=not enabled, file=sys.stderr,
                leave=False, dynamic_ncols=True, **kw)
