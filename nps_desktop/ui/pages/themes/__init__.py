"""Themes: the page (``page``), its table model (``models``), its charts (``charts``) and its verbatims
(``verbatims``: the matched words highlighted).
"""
from .page import ThemesPage
from .verbatims import highlight, verbatim_html
from .models import MatrixModel
from .charts import ImpactChart, ThemeTrendChart

__all__ = ["ImpactChart", "MatrixModel", "ThemeTrendChart", "ThemesPage", "highlight", "verbatim_html"]
