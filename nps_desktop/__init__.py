"""NPS Desktop: run a whole Net Promoter Score program offline, from a laptop."""
from typing import Any


def __getattr__(name: str) -> Any:
    """``__version__``, looked up on first use (reading the installed metadata takes a while, and most
    command-line runs never ask for it)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version
    try:
        found = version("nps-desktop")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.1.0"
    globals()["__version__"] = found
    return found
