"""Understanding the comments offline: themes, sentiment and what drives the score.

- ``themes``: the phrase dictionary (syntax, defaults from ``resources/themes.json``) and its index;
- ``sentiment``: the offline lexicon (``resources/sentiment.json``);
- ``analyzer``: one pass per comment giving its sentiment and themes with polarity (``sentiment(text)``);
- ``store``: the workspace's ``themes`` table; ``tagging``: ``tag_responses``, ``retag_all``;
- ``insight``: the theme × category matrix, impact on NPS, trends, verbatims, at-risk passives.
"""
from .analyzer import Analysis, Analyzer, ThemeHit, default_analyzer, sentiment
from .tagging import retag_all, tag_responses
from .themes import Theme, ThemeError

__all__ = ["Analysis", "Analyzer", "Theme", "ThemeError", "ThemeHit", "default_analyzer", "retag_all",
           "sentiment", "tag_responses"]
