"""``python -m nps_desktop …``: the same as the ``nps-desktop`` command."""
import sys

from .cli import main

sys.exit(main())
