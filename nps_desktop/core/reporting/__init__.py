"""The quarterly executive review pack (PDF) and the Excel/CSV exports.

``build.build_pack`` gathers the figures (``data.gather``) and lays them out (``pack``, ``pptx``); ``excel`` and ``csv``
writing live in ``excel``; ``tables`` reads the rows that ``export`` writes.
"""
