"""The comment bank of the demo workspace: what B2B customers write under "reason for your score"."""
from __future__ import annotations

import random

# theme -> (complaints, praise). Phrases are written the way customers write, not as keywords.
PHRASES: dict[str, tuple[list[str], list[str]]] = {
    "pricing": (
        ["the price went up 20% at renewal with nothing new to show for it",
         "too expensive for what we actually use", "licensing costs keep creeping up",
         "the per-seat pricing makes it hard to roll out to the whole team",
         "we are paying for modules nobody uses"],
        ["fair pricing for the value we get", "good value for money",
         "pricing is transparent and predictable"]),
    "billing": (
        ["invoices are confusing and we were double charged twice",
         "billing mistakes take weeks to get corrected", "the invoice never matches the quote"],
        ["billing is simple and the invoices are clear"]),
    "support": (
        ["support takes days to answer a ticket", "the support team closed my ticket without fixing it",
         "we get passed between support agents and have to explain everything again",
         "no one from support ever called back"],
        ["support is fast and actually solves the problem", "the support team is fantastic",
         "Priya in support went above and beyond", "quick, friendly answers from the help desk"]),
    "onboarding": (
        ["onboarding took three months longer than promised", "the implementation was painful",
         "we were left alone after the kickoff call", "setup was confusing and nobody guided us"],
        ["onboarding was smooth and well organised", "the implementation team got us live in two weeks",
         "great kickoff and training sessions"]),
    "ease_of_use": (
        ["the interface is clunky and hard to learn", "too many clicks to do simple things",
         "new users find it confusing"],
        ["easy to use, the team picked it up in a day", "clean and intuitive interface",
         "very user friendly"]),
    "reliability": (
        ["we had three outages this quarter", "the app crashes when we export",
         "sync keeps failing and we lose data", "too many bugs in every release"],
        ["rock solid, never had downtime", "very reliable platform"]),
    "performance": (
        ["dashboards are painfully slow to load", "search takes forever with our data volume",
         "everything lags in the afternoon"],
        ["it is fast even with millions of records", "reports load instantly"]),
    "integrations": (
        ["the Salesforce integration keeps breaking", "the API is limited and poorly versioned",
         "we've had ongoing integration issues that haven't been resolved",
         "the HubSpot sync drops fields"],
        ["the integrations with Salesforce and Slack just work", "great API and webhooks",
         "plugs straight into our stack"]),
    "missing_features": (
        ["still missing basic features like custom fields", "the roadmap never delivers what we ask for",
         "we need SSO for every user and bulk editing", "no way to schedule reports"],
        ["the new automation features are exactly what we needed",
         "they keep shipping features we asked for"]),
    "reporting": (
        ["reporting is too rigid, we export everything to Excel", "the analytics are shallow",
         "dashboards can't be customised"],
        ["the reporting is excellent and our execs love the dashboards", "great analytics out of the box"]),
    "documentation": (
        ["the documentation is outdated", "the help articles don't match the product",
         "API docs are incomplete"],
        ["clear documentation and helpful guides"]),
    "account_management": (
        ["our account manager changed three times this year", "we only hear from our CSM at renewal",
         "nobody understands our business"],
        ["our CSM is proactive and knows our business", "great account management, always responsive",
         "our customer success manager is a real partner"]),
    "mobile": (
        ["the mobile app is barely usable", "no offline mode on mobile", "the iPhone app keeps logging us out"],
        ["the mobile app is great for our field team"]),
    "security": (
        ["the security review took months and SSO is an add-on", "we worry about data residency",
         "2FA is not enforced for admins"],
        ["security and compliance are top notch", "SOC 2 and SSO made procurement easy"]),
}

OPENERS = {
    "detractor": ["Honestly, ", "Frustrating year. ", "", "", "To be frank, ", "We are reconsidering. "],
    "passive": ["", "Overall ok. ", "It does the job. ", "Mostly fine. ", ""],
    "promoter": ["", "Love it! ", "Great product. ", "", "Very happy. "],
}
CONTRASTS = ["works fine, but ", "the product is good, but ", "support is nice but ", "overall fine, however "]
CLOSERS = {"detractor": ["", "", " Please fix this.", " We are looking at alternatives."],
           "passive": ["", "", " Would be a 10 if that improved."],
           "promoter": ["", "", " Keep it up!", " Would recommend to any team."]}
SHORT = {"detractor": ["Too expensive", "slow", "bugs", "not worth it"],
         "passive": ["ok", "fine", "does the job", "good enough", "n/a"],
         "promoter": ["great", "Love it", "excellent product", "👍", "best tool we have"]}
FOREIGN = {"detractor": ["Le support est trop lent.", "Zu teuer für das, was es kann."],
           "passive": ["Está bien, pero le faltan funciones.", "Ganz okay."],
           "promoter": ["Excelente herramienta, muy fácil de usar.", "Très bon produit, merci !"]}

# How likely a category's comment complains about each theme (weights), to give each category a profile.
COMPLAINT_WEIGHTS = {"pricing": 8, "billing": 2, "support": 9, "onboarding": 5, "ease_of_use": 4,
                     "reliability": 7, "performance": 5, "integrations": 8, "missing_features": 6,
                     "reporting": 4, "documentation": 2, "account_management": 4, "mobile": 2, "security": 1}
PRAISE_WEIGHTS = {"pricing": 2, "billing": 1, "support": 9, "onboarding": 5, "ease_of_use": 9,
                  "reliability": 5, "performance": 3, "integrations": 5, "missing_features": 3,
                  "reporting": 6, "documentation": 2, "account_management": 7, "mobile": 2, "security": 2}


def _pick_theme(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def comment(rng: random.Random, category: str) -> str | None:
    """One realistic comment for a response of ``category``; None for the ones left blank."""
    roll = rng.random()
    if roll < 0.22:
        return None
    if roll < 0.30:
        return rng.choice(SHORT[category])
    if roll < 0.32:
        return rng.choice(FOREIGN[category])
    if category == "detractor":
        parts = [rng.choice(PHRASES[_pick_theme(rng, COMPLAINT_WEIGHTS)][0])]
        if rng.random() < 0.35:
            parts.append(rng.choice(PHRASES[_pick_theme(rng, COMPLAINT_WEIGHTS)][0]))
    elif category == "promoter":
        parts = [rng.choice(PHRASES[_pick_theme(rng, PRAISE_WEIGHTS)][1])]
        if rng.random() < 0.3:
            parts.append(rng.choice(PHRASES[_pick_theme(rng, PRAISE_WEIGHTS)][1]))
    else:
        praise = rng.choice(PHRASES[_pick_theme(rng, PRAISE_WEIGHTS)][1])
        complaint = rng.choice(PHRASES[_pick_theme(rng, COMPLAINT_WEIGHTS)][0])
        parts = [rng.choice(CONTRASTS) + complaint] if rng.random() < 0.5 else [praise, complaint]
    opener = rng.choice(OPENERS[category])
    body = ". ".join(_sentence(p) for p in parts) + "."
    text = opener + (body[0].lower() + body[1:] if opener.endswith(", ") else body)
    return text + rng.choice(CLOSERS[category])


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]
