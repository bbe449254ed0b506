"""``python -m orbitsim``: the same as the ``orbitsim`` command."""

import sys

from .cli import main

sys.exit(main())
