"""What a person reads for a value the app stores as a key: ``in_progress`` is "In progress", ``no_response``
"No response", ``mature`` "Mature", a response without an account "No account".

One mapping, used by the pages, the CLI's text output and the pack, so that no stored key reaches a screen
or a page of the pack. ``--json`` output keeps the keys (they are the contract). Values a user typed (a
region, an industry, an owner) are shown as typed; only the fields in ``FIELDS`` hold the app's own keys.
"""
from __future__ import annotations

#: An action's status and outcome.
STATUS = {"open": "Open", "in_progress": "In progress", "done": "Done"}
OUTCOME = {"recovered": "Recovered", "churned": "Churned", "reference_secured": "Reference secured",
           "review_posted": "Review posted", "upsell_opened": "Upsell opened", "no_response": "No response"}
#: The default plays (a play a user adds has a name of its own in the ``plays`` table).
PLAY = {"detractor_save": "Save", "passive_adoption": "Adoption", "promoter_advocacy": "Advocacy ask"}
#: A response's program kind.
PROGRAM_KIND = {"rnps": "rNPS", "tnps": "tNPS", "enps": "eNPS", "partner": "Partner"}
#: An account's status and lifecycle stage (the demo's stages; an imported stage is shown capitalised).
ACCOUNT_STATUS = {"active": "Active", "churned": "Churned", "prospect": "Prospect"}
LIFECYCLE_STAGE = {"onboarding": "Onboarding", "mature": "Mature", "renewal": "Renewal", "churned": "Churned",
                   "expansion": "Expansion", "adopting": "Adopting"}
#: NPS categories (one response, one account).
CATEGORY = {"promoter": "Promoter", "passive": "Passive", "detractor": "Detractor", "unscored": "Unscored"}
#: A revenue event's kind.
REVENUE_KIND = {"renewal": "Renewal", "churn": "Churn", "upsell": "Upsell", "cross_sell": "Cross-sell",
                "downsell": "Downsell", "new": "New logo"}
#: An invitation's status (the planner's waves).
INVITATION_STATUS = {"planned": "Planned", "sent": "Sent", "responded": "Responded", "bounced": "Bounced",
                     "excluded": "Excluded"}

#: Field → its display names. ``lifecycle_stage`` and ``account_status`` are also dimensions of the filters.
FIELDS: dict[str, dict[str, str]] = {
    "status": STATUS, "outcome": OUTCOME, "play": PLAY, "kind": PROGRAM_KIND, "account_status": ACCOUNT_STATUS,
    "lifecycle_stage": LIFECYCLE_STAGE, "category": CATEGORY, "revenue_kind": REVENUE_KIND,
    "invitation_status": INVITATION_STATUS,
}
#: What a missing account reads as.
NO_ACCOUNT = "No account"


def display(field: str, value: object) -> str:
    """``value`` of ``field`` as a person reads it: its display name, else (a key of the app's own fields
    that this module does not list, e.g. an imported lifecycle stage ``at_risk``) capitalised with spaces;
    "" for None. A field that holds no keys returns the value as it is."""
    if value is None:
        return ""
    names = FIELDS.get(field)
    text = str(value)
    if names is None:
        return text
    return names.get(text) or humanize(text)


def humanize(key: str) -> str:
    """``at_risk`` → "At risk"; a text already written for people (``Enterprise``, ``EMEA``) stays as it is."""
    if key != key.lower():
        return key
    return key.replace("_", " ").capitalize()


def stored_keys() -> set[str]:
    """Every key of the app's own fields: none of them should be what a screen or the pack shows."""
    return {k for names in FIELDS.values() for k in names}
