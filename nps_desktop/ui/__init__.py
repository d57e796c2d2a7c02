"""The Qt user interface: thin pages over ``nps_desktop.core``."""
