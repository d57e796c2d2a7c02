"""Importing the spreadsheets CX teams already have: survey exports, CRM account lists, contact lists,
revenue events.

- ``readers``: workbooks (python-calamine) and text files; encoding, delimiter and header detection;
- ``values``: scores, dates, money, emails and flags as exports write them;
- ``presets``: Qualtrics, SurveyMonkey, Typeform, Google Forms, Delighted, and the generic suggestion;
- ``mapping``: the fields of each kind and saved mapping profiles;
- ``importer``: preview → plan → commit, one transaction per batch; ``writers`` and ``linking`` do the
  writing and the linking to contacts and accounts; ``undo``: remove a batch exactly;
- ``batches``: the list of batches, their rejected rows, unmapped responses;
- ``hooks``: ``FollowUps``, the steps a caller passes in to run after responses are imported or a batch undone.
"""
from .errors import ImportCancelled, ImportRefused
from .importer import ImportOptions, ImportResult, Preview, commit, import_file, plan, preview
from .undo import undo_batch

__all__ = ["ImportCancelled", "ImportOptions", "ImportRefused", "ImportResult", "Preview", "commit",
           "import_file", "plan", "preview", "undo_batch"]
