"""The quarterly executive review pack (PDF) and the Excel/CSV exports.

``pack.build_pack`` gathers the figures (``data.gather``) and lays them out; ``excel`` and ``csv``
writing live in ``excel``; ``tables`` reads the rows that ``export`` writes.
"""
