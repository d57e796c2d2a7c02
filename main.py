"""Start NPS Desktop: the GUI with no arguments, else the command line (``python main.py stats``)."""
import sys

from nps_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
