"""Close the loop: plays turn responses into actions, actions have a lifecycle, and the loop is measured.

- ``plays``: the editable rules (``plays`` table) and business-day due dates;
- ``engine``: ``create_actions`` — responses → actions (``after_responses``: the import's follow-up step);
- ``actions``: the lifecycle (open → in progress → done), outcomes, notes, owners, history, listing;
- ``signals``: risk and opportunity signals, each with a sentence saying why;
- ``metrics``: SLA share, time to first touch and to close, save rate, reference yield;
- ``health``: 0–100 account health with its explanation, and the accounts with ARR at risk.

Every public function takes the ``Workspace``; a name ending in ``_in`` takes the connection of a
transaction already under way (an import's follow-up steps hold only that) and runs inside it.
"""
