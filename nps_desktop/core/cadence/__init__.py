"""Who to survey when: programs and their triggers, fatigue rules, the planner, and waves.

- ``programs``: survey programs (relational pulses and transactional triggers) in the ``programs`` table.
- ``rules``: the fatigue rules, editable, kept in the workspace settings.
- ``planner``: a deterministic plan over a date range: planned invitations and excluded contacts, each
  with a readable reason.
- ``waves``: marking a wave sent (recording ``invitations``), matching responses back, response rates.
"""
from .planner import Excluded, Plan, Planned, Wave, plan
from .programs import Program, load_programs
from .rules import Rules, load_rules, save_rules

__all__ = ["Excluded", "Plan", "Planned", "Program", "Rules", "Wave", "load_programs", "load_rules",
           "plan", "save_rules"]
