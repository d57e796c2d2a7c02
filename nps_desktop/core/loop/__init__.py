"""Close the loop: plays turn responses into actions, actions have a lifecycle, and the loop is measured.

- ``plays``: the editable rules (``plays`` table) and business-day due dates;
- ``engine``: ``create_actions_for_responses`` — responses → actions, called by the importer's hook;
- ``actions``: the lifecycle (open → in progress → done), outcomes, notes, owners, history, listing;
- ``signals``: risk and opportunity signals, each with a sentence saying why;
- ``metrics``: SLA share, time to first touch and to close, save rate, reference yield;
- ``health``: 0–100 account health with its explanation, and the accounts with ARR at risk.
"""
