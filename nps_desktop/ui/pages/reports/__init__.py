"""Reports: the quarterly executive review pack (PDF or slides) with its editor and preview, and exports.

``page`` is the page; ``editor`` the pack's words, sections and quotes; ``quotes`` the "Add to pack"
dialog the Responses and Themes pages open; ``job_strip`` the progress strip of a background job.
"""
from .page import ReportsPage

__all__ = ["ReportsPage"]
