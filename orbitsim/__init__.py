"""orbitsim: debris from destructive anti-satellite tests and what it does to everyone else in orbit.

The pipeline, one module a stage::

    catalog -> scenario -> breakup -> propagation / evolution -> screening / risk
            -> consequences -> report

Import the stage you need (``orbitsim.catalog``, ``orbitsim.breakup``, ...); this top level holds
only the version.
"""

from ._version import __version__

__all__ = ["__version__"]
