"""The columnar snapshot: the columns every figure needs, held as numpy arrays in memory.

``generation`` keys it (a counter every write transaction bumps), ``columns`` reads it from SQLite in
one packed scan, ``cache`` keeps it in a file beside the workspace so a reopen takes a blink, ``model``
computes counts over it, and ``store`` holds the loaded one for this process and says whether it is
still fresh. ``core.analytics`` consults it when one is loaded and fresh, and runs SQL otherwise.
"""
