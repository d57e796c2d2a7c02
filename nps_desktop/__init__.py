"""NPS Desktop: run a whole Net Promoter Score program offline, from a laptop."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nps-desktop")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"
