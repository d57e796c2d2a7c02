"""Which tool wrote a file, what kind of data it holds, and the mapping column → field to suggest.

Exports of Qualtrics, SurveyMonkey, Typeform, Google Forms and Delighted are recognised by their
headers with no user input. Anything else gets a generic suggestion in which each column is offered
a field from its header and its values: a 0-10 column under a "how likely … recommend" header is the
score, an email-shaped column is the contact. Not every 0-10 column is NPS, so every column whose values
are all 0-10 is listed in ``score_candidates`` for the user to confirm.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from . import values
from .readers import Table

PRESETS = ("qualtrics", "surveymonkey", "typeform", "google_forms", "delighted", "generic")
PRESET_LABELS = {"qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey", "typeform": "Typeform",
                 "google_forms": "Google Forms", "delighted": "Delighted", "generic": "Other (generic)"}
#: Date order a tool writes when a file's own values do not decide it.
DEFAULT_DATE_ORDER = {"surveymonkey": values.MDY}


@dataclass
class Column:
    """What the sample says about one column."""
    name: str
    label: str
    text: str                    # name and label, lower case, words only: what keywords match
    n: int                       # non-blank sample values
    share: dict[str, float]      # share of values that parse as: score, email, date, money, bool, …
    distinct: int
    mean_length: float

    def is_(self, shape: str, at_least: float = 0.9) -> bool:
        return self.n > 0 and self.share.get(shape, 0.0) >= at_least


@dataclass
class Suggestion:
    kind: str | None
    preset: str
    mapping: dict[str, str]                              # column -> field
    score_candidates: list[str] = field(default_factory=list)
    date_order: str | None = None                        # the tool's usual order, if any
    candidates: dict[str, list[str]] = field(default_factory=dict)   # field -> columns, likeliest first


_SHAPES: dict[str, Callable[[Any], Any]] = {
    "score": values.parse_score, "email": values.normalise_email, "money": values.parse_money,
    "bool": values.parse_bool, "revenue_kind": values.parse_revenue_kind, "domain": values.normalise_domain,
}


def _unaccented(c: str) -> str:
    """A Latin letter without its accent (é → e); any other character as it is (バ keeps its mark)."""
    if c.isascii() or ord(c) >= 0x250:
        return c
    return "".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))


def _words(s: str) -> str:
    """A header's words, lower case, Latin accents off ("Région" → "region"); letters of any script stay."""
    text = "".join(map(_unaccented, unicodedata.normalize("NFKC", s.lower())))
    return " ".join(re.sub(r"[^\w#]+|_", " ", text).split())


def profile_columns(table: Table) -> list[Column]:
    """What the sample says about each column (computed once per table)."""
    if "columns" not in table.cache:
        table.cache["columns"] = _profile(table)
    return table.cache["columns"]


def _profile(table: Table) -> list[Column]:
    out = []
    for i, (name, label) in enumerate(zip(table.header.columns, table.header.labels)):
        vals = [cells[i] for _, cells in table.sample if not _blank(cells[i])]
        share = {}
        for shape, parse in _SHAPES.items():
            share[shape] = _share(vals, parse)
        share["date"] = sum(values.looks_like_date(v) for v in vals) / len(vals) if vals else 0.0
        share["above5"] = sum(values.is_score(v) and values.parse_score(v) > 5 for v in vals) / len(vals) if vals else 0.0
        share["words"] = sum(isinstance(v, str) and " " in v.strip() for v in vals) / len(vals) if vals else 0.0
        share["counter"] = float(re.fullmatch(r"Column [A-Z]+", name) is not None and len(vals) > 2
                                 and _counts_rows(vals))   # a headerless row number (R's row names)
        share["int"] = sum(isinstance(v, (int, float)) and not isinstance(v, bool) or
                           isinstance(v, str) and v.strip().isdigit() for v in vals) / len(vals) if vals else 0.0
        texts = [str(v) for v in vals]
        text = _words(name) if label == name else _words(f"{name} {label}")
        out.append(Column(name, label, text, len(vals), share, len(set(texts)),
                          sum(map(len, texts)) / len(texts) if texts else 0.0))
    return out


def _counts_rows(vals: list[Any]) -> bool:
    """1, 2, 3 …: row numbers (R's row names, a spreadsheet's index), not answers."""
    try:
        nums = [int(float(v)) for v in vals]
    except (TypeError, ValueError):
        return False
    return nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] in (0, 1)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and (not v.strip() or values.is_missing(v.strip())))


def _share(vals: list[Any], parse: Callable[[Any], Any]) -> float:
    if not vals:
        return 0.0
    ok = 0
    for v in vals:
        try:
            parse(v)
        except ValueError:
            continue
        ok += 1
    return ok / len(vals)


# -- keyword rules -------------------------------------------------------------------------------
#: "Recommend" in English, Spanish and Portuguese (recomendar, recomiendes, recomendaria), French
#: (recommander), German (empfehlen, weiterempfehlen), Italian (raccomandare, consigliare) and Dutch
#: (aanbevelen, aanraden); also in Japanese, Chinese and Korean: 推奨/推荐/推薦/추천.
_RECOMMEND = (r"recommend|recomend|recomiend|recommand|empfehl|raccomand|consigli|aanbevel|aanbeveel|"
              r"aanraden|raadt|推奨|推荐|推薦|추천")
_NPS_WORDS = re.compile(_RECOMMEND + r"|how likely|likelihood|\bnps\b|net promoter")
#: A score by name: score, rating, nps (and スコア/评分/分數/점수 …), alone or with words of their own.
_SCORE_WORDS = re.compile(r"^(?:nps )?(?:score|rating|nps|puntuacion|note|bewertung|punteggio|cijfer)$|"
                          + _RECOMMEND + r"|how likely|likelihood|\bnps\b|"
                          r"^(?:スコア|点数|评分|分数|分數|評分|점수)$")

#: Headers of a free-text answer, in the same languages: comment, reason, explain … (comentario, razón,
#: motivo, commentaire, explication, remarque, Kommentar, Begründung, commento, spiegazione, toelichting …).
_COMMENT_WORDS = (r"comment|reason|why|feedback|explain|tell us|improve|verbatim|open ended|suggestion|"
                  r"do better|anything else|"
                  r"raison|razon|motivo|porque|por que|comentario|explica|sugerencia|observaci|mejorar|"
                  r"commentaire|explication|remarque|pourquoi|precis|amelior|"
                  r"grund|kommentar|begrundung|erklar|anmerkung|warum|verbesser|"
                  r"commento|spiegazione|perche|motivazione|osservazion|miglior|"
                  r"opmerking|toelichting|\breden\b|waarom|uitleg|verbeter|"
                  r"justifica|observac|melhor|"
                  r"コメント|理由|意見|评论|意见|原因|留言|建议|建議|의견|이유")

#: field -> (header pattern, shape its values must have or None); first match wins, in column order.
RULES: dict[str, dict[str, tuple[str, str | None]]] = {
    "responses": {
        "email": (r"e ?mail|courriel|correo|メール|邮箱|邮件|郵件|信箱|이메일", "some_email"),
        "source_id": (r"^(?:response ?id|respondent ?id|responseid|submission id|response token|token|#|id|"
                      r"record id|response)$", None),
        "account": (r"^(?:account|company|customer|crm|org|organization) ?(?:id|number|no|#|ref)$|"
                    r"external ?(?:id|reference|data reference)", None),
        "first_name": (r"^(?:recipient )?first ?name$|^given name$|^nombre$|^prenom$|^vorname$", None),
        "last_name": (r"^(?:recipient )?last ?name$|^surname$|^family name$|^apellidos?$|^nom$|^nachname$", None),
        "name": (r"^(?:full |your |respondent )?name$|^nombre completo$|^nom complet$", None),
        "kind": (r"survey ?type|program(?:me)? ?(?:type|kind)?$|nps type", None),
        "touchpoint": (r"touch ?point|journey|trigger|interaction", None),
        "product": (r"^(?:product|plan|package|edition|product line)$", None),
        "comment": (_COMMENT_WORDS, "free_text"),
        "finished": (r"^finished$|^completed?$|^response type$", "bool"),
        "status": (r"^status$", None),
    },
    "accounts": {
        "external_id": (r"^(?:account|company|customer|crm|record|org|organization|salesforce|hubspot)? ?"
                        r"(?:id|number|no|#)$|external id|^id d[eu] (?:la )?(?:compte|cuenta|client)$|"
                        r"^kunden ?(?:nummer|nr)$|^numero d[eu] (?:client|compte|cliente)$", "unique"),
        "name": (r"^(?:account|company|customer|organization|organisation|client)(?: name)?$|^name$|"
                 r"^(?:accountname|firmenname|firma|unternehmen|kunde|nom du compte|societe|entreprise|"
                 r"empresa|nombre de la cuenta|cliente|bedrijfsnaam|会社名|企業名|公司名称|客户名称|회사명)$", None),
        "domain": (r"domain|website|web site|url|webseite|site web|sitio web", "domain"),
        "arr": (r"\barr\b|annual recurring|annual revenue|\bacv\b|contract value|recurring revenue|"
                r"jahresumsatz|wiederkehrende|chiffre d affaires|revenu annuel|ingresos anuales|receita anual|"
                r"jaaromzet|年間売上|年收入", "money"),
        "seats": (r"seats|licen[cs]es|^users$|user count", "money"),
        "industry": (r"industry|sector|vertical|branche|secteur|industrie|業種|行业|산업", None),
        "region": (r"region|territory|\bgeo\b|market", None),
        "tier": (r"tier|segment|size band|^size$", None),
        "lifecycle_stage": (r"lifecycle|^stage$|customer stage|phase", None),
        "customer_since": (r"customer since|since|start date|signup|sign up|contract start|created date", "date"),
        "renewal_date": (r"renewal|contract end|end date|expir|verlangerung|vertragsende|renouvellement|"
                         r"renovacion|renovacao|更新日|续约", "date"),
        "owner": (r"owner|\bcsm\b|account manager|success manager|\brep\b|inhaber|verantwortlich|"
                  r"proprietaire|responsable|propietario|担当者|负责人", None),
        "status": (r"status|^type$|account type", None),
    },
    "contacts": {
        "email": (r"e ?mail", "email"),
        "first_name": (r"first ?name|given name|forename", None),
        "last_name": (r"last ?name|surname|family name", None),
        "name": (r"^(?:full |contact )?name$|^contact$", None),
        "role": (r"title|role|job|position|persona", None),
        "account": (r"^(?:account|company|customer|crm|org|organization) ?(?:id|number|no|#)$", None),
        "account_name": (r"^(?:account|company|organization|organisation|customer)(?: name)?$", None),
        "opted_out": (r"unsubscribed|opt(?:ed)? ?out|do not (?:e ?mail|contact)|hasoptedout", "bool"),
        "subscribed": (r"^subscribed$|subscription status|opt(?:ed)? ?in|consent", "bool"),
        "bounced": (r"bounce", "bool"),
    },
    "revenue": {
        "source_key": (r"^(?:event|opportunity|deal|transaction|record)? ?id$|^#$", None),
        "account": (r"^(?:account|company|customer|crm|org|organization) ?(?:id|number|no|#)$", None),
        "account_name": (r"^(?:account|company|organization|customer)(?: name)?$", None),
        "kind": (r"type|event|kind|motion|category|movement", "revenue_kind"),
        "occurred_on": (r"date|closed?|effective|occurred|booked|when", "date"),
        "arr_before": (r"before|previous|prior|old arr|starting arr", "money"),
        "arr_change": (r"amount|change|delta|value|\barr\b|mrr", "money"),
        "note": (r"note|description|comment|reason|memo", None),
    },
}
#: Date headers for ``responded_at``, best first: the survey's own date (submitted, recorded, surveyed,
#: answered, completed, the form's timestamp), never the account's (created, updated, signed up), which
#: come last, after any other date.
_WHEN = [r"submit|回答日|回答日時|提交|送出|제출", r"recorded", r"survey(?:ed)?|answered|responded|response (?:date|time)|"
         r"respuesta|reponse|antwort|risposta|resposta|antwoord", r"completed?|completion|finished",
         r"end ?date|ended", r"timestamp|marca (?:temporal|de tiempo)|horodat|zeitstempel|carimbo|tijdstempel",
         r"^date$|date|fecha|datum|data|日付|日時|日期|时间|時間|날짜", r"time", r"start"]
_NOT_WHEN = re.compile(r"creat|updat|modif|sign ?up|regist|joined|birth|last (?:login|seen|activity)|since|"
                       r"renewal|expir|alta|erstellt|aktualisiert|cree|mis a jour")


def is_free_text(col: Column) -> bool:
    """Answers written by people: many distinct values, not scores, dates, addresses or a few choices."""
    if col.is_("score", 0.8) or col.is_("date", 0.8) or col.is_("email", 0.5) or col.is_("bool", 0.8):
        return False
    if col.n >= 10 and col.distinct <= 7:
        return False     # a few choices, repeated: multiple choice or a Likert scale
    return col.distinct >= 0.6 * col.n and (col.n < 5 or col.mean_length >= 12 or col.distinct > 7)


def _shape_ok(col: Column, shape: str | None) -> bool:
    if shape is None or col.n == 0:
        return True
    if shape == "free_text":
        return is_free_text(col)
    if shape == "some_email":   # the header says email: junk cells ("n/a") are left blank on import
        return col.share.get("email", 0.0) >= 0.2
    if shape == "unique":
        return col.distinct == col.n
    return col.is_(shape, 0.8)


def generic_mapping(kind: str, cols: list[Column]) -> dict[str, str]:
    """Header and value rules for one kind; every column to at most one field and back."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()

    def assign(col: Column, name: str) -> None:
        mapping[col.name] = name
        taken.add(name)

    if kind == "responses":
        score = pick_score(cols)
        if score:
            assign(next(c for c in cols if c.name == score), "score")
        dates = date_candidates([c for c in cols if c.name not in mapping])
        if dates:
            assign(next(c for c in cols if c.name == dates[0]), "responded_at")
    for name, (pattern, shape) in RULES[kind].items():
        if name in taken:
            continue
        for col in cols:
            if col.name not in mapping and re.search(pattern, col.text) and _shape_ok(col, shape):
                assign(col, name)
                break
    if kind in ("responses", "contacts") and "email" not in taken:
        for col in cols:
            if col.name not in mapping and col.is_("email", 0.8):
                assign(col, "email")
                break
    return mapping


def date_candidates(cols: list[Column]) -> list[str]:
    """Date columns, best first by ``_WHEN``; created/updated/signup dates last."""
    dates = [c for c in cols if c.is_("date", 0.8)]

    def rank(c: Column) -> tuple[int, int]:
        if _NOT_WHEN.search(c.text):
            return len(_WHEN) + 1, 0
        return next((i for i, p in enumerate(_WHEN) if re.search(p, c.text)), len(_WHEN)), 0
    return [c.name for c in sorted(dates, key=rank)]


def score_candidates(cols: list[Column], at_least: float = 0.8) -> list[str]:
    """Columns whose values are (nearly) all 0-10 scores, and that are not an NPS group or an id."""
    return [c.name for c in cols if c.is_("score", at_least) and not re.search(r"nps group|\bid\b|#", c.text)
            and not c.name.upper().endswith("_NPS_GROUP") and not c.share.get("counter")]


#: How the score column is chosen, as the dry run, the wizard and ``import --json`` state it.
SCORE_RULE = ("the first 0-10 column whose question asks how likely one is to recommend (in English, Spanish, "
              "French, German, Portuguese, Italian or Dutch), preferring columns whose answers go above 5 "
              "over yes/no and 1-5 columns; else a column named score or rating; else the only 0-10 column")


def _spans(col: Column) -> bool:
    """Answers above 5: a 0-10 scale in use, not a yes/no (0/1) or 1-5 column."""
    return col.share.get("above5", 0.0) > 0


def ranked_scores(cols: list[Column]) -> list[str]:
    """Score candidates, the one ``SCORE_RULE`` picks first (when it picks one)."""
    loose = [c for c in cols if c.name in set(score_candidates(cols, 0.5))]

    def rank(c: Column) -> tuple[int, int]:
        named = 0 if _NPS_WORDS.search(c.text) else 1 if _SCORE_WORDS.search(c.text) else 2
        return (0 if _spans(c) else 1), named
    return [c.name for c in sorted(loose, key=rank)]


def pick_score(cols: list[Column]) -> str | None:
    """The score column by ``SCORE_RULE``; None when no column qualifies (the user chooses)."""
    ranked = ranked_scores(cols)
    by_name = {c.name: c for c in cols}
    for c in (by_name[n] for n in ranked):
        if _NPS_WORDS.search(c.text) or _SCORE_WORDS.search(c.text):
            return c.name
    strict = [n for n in score_candidates(cols) if _spans(by_name[n])]
    return strict[0] if len(strict) == 1 else None


# -- presets -------------------------------------------------------------------------------------
def _has(cols: list[Column], *names: str) -> Column | None:
    """The column named by the first of ``names`` that the file has (they are in order of preference)."""
    by_name = {c.name.lower(): c for c in reversed(cols)}
    return next((by_name[n.lower()] for n in names if n.lower() in by_name), None)


def detect_preset(table: Table, cols: list[Column]) -> str:
    names = {c.name.lower() for c in cols}
    if table.header.depth == 3 or "responseid" in names and names & {"startdate", "finished", "recordeddate"}:
        return "qualtrics"
    if names & {"respondent id", "respondentid"} and (names & {"collector id", "collectorid"}
                                                       or table.header.depth == 2):
        return "surveymonkey"   # the current layout, the older one without spaces, and either trimmed
    if cols and cols[0].name == "#" or names & {"network id", "submit date (utc)"}:
        return "typeform"
    if cols and cols[0].name.lower() == "timestamp":
        return "google_forms"
    if any(n.startswith("delighted ") for n in names) or "score" in names and names & {
            "permalink", "survey_type", "survey type", "person_properties", "response timestamp"}:
        return "delighted"
    return "generic"


_PRESET_FIELDS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "qualtrics": [("source_id", ("ResponseId", "Response ID", "_recordId")),
                  ("responded_at", ("RecordedDate", "Recorded Date", "EndDate", "End Date")),
                  ("email", ("RecipientEmail", "Recipient Email", "EmailAddress")),
                  ("status", ("Status", "Response Type")),
                  ("finished", ("Finished",))],
    "surveymonkey": [("source_id", ("Respondent ID", "RespondentID")),
                     ("responded_at", ("End Date", "EndDate", "Start Date", "StartDate")),
                     ("email", ("Email Address", "Email"))],
    "typeform": [("source_id", ("#", "Token")), ("responded_at", ("Submit Date (UTC)", "Submitted At")),
                 ("finished", ("Response Type",)), ("email", ("email", "Email"))],
    "google_forms": [("responded_at", ("Timestamp",)), ("email", ("Email Address", "Email address"))],
    "delighted": [("source_id", ("Response ID", "id", "Response Id")),
                  ("responded_at", ("Response timestamp", "created_at", "Created at", "Created At", "Date")),
                  ("email", ("Email", "email", "Person email", "person_email")),
                  ("score", ("Score", "score")), ("comment", ("Comment", "comment")),
                  ("kind", ("survey_type", "Survey type"))],
}
#: Columns of a tool's export that are never imported (metadata that keyword rules might mistake).
_PRESET_IGNORE = {"qualtrics": {"ipaddress", "distributionchannel", "userlanguage", "externalreference",
                                "startdate", "enddate", "progress",
                                "duration (in seconds)", "locationlatitude", "locationlongitude",
                                "responseset", "externaldatareference", "locationaccuracy"},
                  "surveymonkey": {"collector id", "collectorid", "ip address", "start date", "startdate",
                                   "custom data", "custom data 1"},
                  "typeform": {"network id", "start date (utc)", "stage date (utc)", "tags", "ending"},
                  "delighted": {"updated_at", "updated at", "permalink", "notes", "tags"}}


def preset_mapping(preset: str, cols: list[Column]) -> dict[str, str]:
    ignore = _PRESET_IGNORE.get(preset, set())
    usable = [c for c in cols if c.name.lower() not in ignore]
    fixed: dict[str, str] = {}
    for name, headers in _PRESET_FIELDS.get(preset, []):
        col = _has(cols, *headers)   # a fixed column of the tool, even one keyword rules skip
        if col is not None and col.name not in fixed and (name != "score" or col.is_("score", 0.9)):
            fixed[col.name] = name
    if preset == "qualtrics":
        groups = {c.name[:-len("_NPS_GROUP")] for c in cols if c.name.upper().endswith("_NPS_GROUP")}
        score = next((c for c in usable if c.name in groups and c.is_("score", 0.9)), None)
        if score is not None:
            fixed[score.name] = "score"
    rest = [c for c in usable if c.name not in fixed]
    generic = generic_mapping("responses", rest)
    taken = set(fixed.values())
    fixed.update({col: f for col, f in generic.items() if f not in taken})
    return fixed


# -- the kind ------------------------------------------------------------------------------------
def detect_kind(cols: list[Column]) -> str | None:
    """responses, revenue, contacts or accounts from what the columns hold; None when unclear."""
    guesses = {k: generic_mapping(k, cols) for k in RULES}
    if "score" in guesses["responses"].values() and (
            any(_NPS_WORDS.search(c.text) or _SCORE_WORDS.search(c.text) for c in cols
                if guesses["responses"].get(c.name) == "score")):
        return "responses"
    rev = set(guesses["revenue"].values())
    if {"kind", "occurred_on"} <= rev and rev & {"account", "account_name"}:
        return "revenue"
    acc = set(guesses["accounts"].values())
    con = set(guesses["contacts"].values())
    account_signs = acc & {"arr", "domain", "industry", "tier", "renewal_date", "seats", "lifecycle_stage",
                           "customer_since"}
    contact_signs = con & {"first_name", "last_name", "name", "role", "opted_out", "subscribed", "bounced"}
    if "email" in con and contact_signs:
        return "contacts"
    if acc & {"external_id", "name"} and account_signs:
        return "accounts"
    if set(guesses["responses"].values()) & {"responded_at", "comment", "score"}:
        return "responses"   # a survey export; without a score column it is refused as such
    if "email" in con:
        return "contacts"
    return None


def suggest(table: Table, kind: str | None = None) -> Suggestion:
    """The kind (unless given), the tool, and the mapping to offer for ``table``."""
    cols = profile_columns(table)
    preset = detect_preset(table, cols)
    if preset != "generic" and kind in (None, "responses"):
        mapping = preset_mapping(preset, cols)
        answers = answer_columns(preset, cols, mapping)
        return Suggestion("responses", preset, mapping, score_candidates(answers),
                          DEFAULT_DATE_ORDER.get(preset), candidates(cols, answers))
    kind = kind or detect_kind(cols)
    if kind is None:
        return Suggestion(None, "generic", {}, score_candidates(cols))
    if kind != "responses":
        return Suggestion(kind, "generic", generic_mapping(kind, cols))
    return Suggestion(kind, "generic", generic_mapping(kind, cols), score_candidates(cols), None, candidates(cols))


# -- the choices shown -----------------------------------------------------------------------------
#: The fields whose column is chosen among several, and the rule each is chosen by.
CHOSEN_FIELDS = ("score", "responded_at", "comment", "source_id")
CHOICE_RULES = {
    "score": SCORE_RULE,
    "responded_at": "the survey's own date (submitted, recorded, surveyed, answered, completed, the form's "
                    "timestamp) before any other; created, updated and sign-up dates last",
    "comment": "a free-text column (many different answers, sentences) whose header speaks of a comment, "
               "reason or explanation; no comment rather than a multiple-choice or rating column",
    "source_id": "the survey tool's response id, or a column of unique values named id",
}


def answer_columns(preset: str, cols: list[Column], mapping: dict[str, str]) -> list[Column]:
    """The columns of a tool's export that hold answers: not its own metadata (status, progress, finished,
    duration, location …), which can look like 0-10 scores but never is one."""
    ignore = _PRESET_IGNORE.get(preset, set())
    meta = {name for name, f in mapping.items() if f in _TOOL_FIELDS}
    return [c for c in cols if c.name.lower() not in ignore and c.name not in meta
            and not c.name.upper().endswith("_NPS_GROUP")]


#: Fields a tool's own metadata columns are mapped to.
_TOOL_FIELDS = {"source_id", "responded_at", "email", "status", "finished"}


def candidates(cols: list[Column], answers: list[Column] | None = None) -> dict[str, list[str]]:
    """For each of ``CHOSEN_FIELDS``, the columns that could hold it, the likeliest first (scores only
    among ``answers``, the columns that hold answers, when given)."""
    comment = re.compile(_COMMENT_WORDS)
    id_header = re.compile(RULES["responses"]["source_id"][0])
    free = [c for c in cols if is_free_text(c) and c.n]
    return {"score": ranked_scores(cols if answers is None else answers), "responded_at": date_candidates(cols),
            "comment": [c.name for c in free if comment.search(c.text)] +   # unnamed ones must hold sentences
                       [c.name for c in free if not comment.search(c.text) and c.share["words"] >= 0.5],
            "source_id": [c.name for c in cols if id_header.search(c.text) or
                          (c.n >= 2 and c.distinct == c.n and c not in free and re.search(r"\bid\b", c.text))]}
