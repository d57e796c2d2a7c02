"""Reusable widgets: KPI tiles and charts."""
