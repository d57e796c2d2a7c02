"""Cell values as exports write them: scores, dates, money, emails, flags."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from nps_desktop.core.importing import values as v


@pytest.mark.parametrize("raw, expected", [
    (9, 9), (9.0, 9), ("9", 9), ("9.0", 9), (" 7 ", 7), ("10 - Extremely likely", 10),
    ("0 - Not at all likely", 0), ("10 (Extremely likely)", 10), ("8 Likely", 8), ("10.00", 10), (0, 0),
    ("9,0", 9), ("10,00", 10),                     # a decimal comma, as European Excel writes numbers
])
def test_scores_accepted(raw, expected):
    assert v.parse_score(raw) == expected


@pytest.mark.parametrize("raw", [11, -1, 9.5, "9.5", "11", "-1", "ten", "", "1-2", True, float("nan"), "10/10",
                                 "9,5", "1,000"])
def test_scores_refused(raw):
    with pytest.raises(ValueError, match="not a score from 0 to 10"):
        v.parse_score(raw)


@pytest.mark.parametrize("raw, order, expected", [
    ("2025-03-14", None, "2025-03-14"),
    ("2025-03-14 10:22:31", None, "2025-03-14T10:22:31"),
    ("2025-03-14T10:22:31Z", None, "2025-03-14T10:22:31"),
    ("2025-03-14T23:30:00-07:00", None, "2025-03-14T23:30:00"),     # the local time as written
    ("2025-03-14T10:22:31.250+02:00", None, "2025-03-14T10:22:31"),
    ("3/14/2025", None, "2025-03-14"),
    ("03/04/2025", "mdy", "2025-03-04"),
    ("03/04/2025", "dmy", "2025-04-03"),
    ("14/03/2025 10:22:31", None, "2025-03-14T10:22:31"),
    ("11/03/2025 02:14:55 PM", "mdy", "2025-11-03T14:14:55"),
    ("11/03/2025 12:05:00 AM", "mdy", "2025-11-03T00:05:00"),
    ("14.03.2025", "dmy", "2025-03-14"),
    ("3/14/25", "mdy", "2025-03-14"),
    ("2025/03/14", None, "2025-03-14"),
    ("Mar 14, 2025", None, "2025-03-14"),
    ("14 March 2025 09:00", None, "2025-03-14T09:00:00"),
    ("Fri, 14 Mar 2025 10:22:31 GMT", None, "2025-03-14T10:22:31"),
    ("45730", None, "2025-03-14"),                                   # an Excel serial as text
    ("45730.5", None, "2025-03-14T12:00:00"),
    (45730, None, "2025-03-14"),
    (45730.25, None, "2025-03-14T06:00:00"),
    (datetime(2025, 3, 14, 10, 22, 31, 500), None, "2025-03-14T10:22:31"),
    (datetime(2025, 3, 14), None, "2025-03-14"),
    (date(2025, 3, 14), None, "2025-03-14"),
    ("2025年3月14日", None, "2025-03-14"), ("2025年3月14日 10:22", None, "2025-03-14T10:22:00"),  # Japanese
    ("2025年3月14号", None, "2025-03-14"), ("2025년 3월 14일", None, "2025-03-14"),             # Chinese, Korean
])
def test_dates(raw, order, expected):
    assert v.DateParser(order)(raw) == expected


def test_parse_date_drops_the_time():
    assert v.parse_date("11/03/2025 02:14:55 PM", "mdy") == "2025-11-03"
    assert v.parse_date(45730.75) == "2025-03-14"


@pytest.mark.parametrize("raw, order", [("31/02/2025", "dmy"), ("13/13/2025", None), ("hello", None),
                                         ("2025-13-01", None), (123, None), ("13:00 PM 1/2/2025", "mdy"),
                                         ("1/2/2025 13:00 PM", "mdy"), (True, None), ("2025年2月30日", None)])
def test_bad_dates(raw, order):
    with pytest.raises(ValueError):
        v.DateParser(order)(raw)


def test_ambiguous_date_without_order_is_refused():
    with pytest.raises(ValueError, match="order unknown"):
        v.DateParser(None)("03/04/2025")
    assert v.DateParser(None)("04/04/2025") == "2025-04-04"   # the same either way


@pytest.mark.parametrize("values, expected", [
    (["03/04/2025", "13/04/2025"], ("dmy", None)),
    (["03/04/2025", "04/13/2025"], ("mdy", None)),
    (["03/04/2025", "05/06/2025"], (None, "03/04/2025")),
    (["2025-03-04", 45000.0], (None, None)),
    (["13/01/2025", "14/01/2025", "01/13/2025"], ("dmy", None)),       # the majority decides
])
def test_date_order_is_decided_by_the_values(values, expected):
    assert v.detect_date_order(values) == expected


@given(st.dates(date(1960, 1, 1), date(2100, 12, 31)), st.sampled_from(["mdy", "dmy"]),
       st.integers(0, 86399))
def test_date_forms_roundtrip(day, order, seconds):
    t = (datetime.min + timedelta(seconds=seconds)).time()
    a, b = (day.month, day.day) if order == "mdy" else (day.day, day.month)
    text = f"{a}/{b}/{day.year} {t:%I:%M:%S %p}"
    assert v.DateParser(order)(text) == datetime.combine(day, t).isoformat()
    assert v.DateParser(order)(day.isoformat()) == day.isoformat()


@given(st.datetimes(datetime(1955, 1, 1), datetime(2100, 1, 1)))
def test_excel_serials_roundtrip(dt):
    dt = dt.replace(microsecond=0)
    serial = (dt - datetime(1899, 12, 30)).total_seconds() / 86400
    assert v.serial_to_datetime(serial) == dt


@pytest.mark.parametrize("raw, expected", [
    ("$120,000", 120000.0), ("120000.00 USD", 120000.0), ("€1.234,56", 1234.56), ("1 234,56 €", 1234.56),
    ("(1,200)", -1200.0), ("-$500", -500.0), ("45,500.50", 45500.5), ("12,5", 12.5), ("120k", 120000.0),
    ("£2.5m", 2500000.0), (1200, 1200.0), (99.5, 99.5), ("1.234.567", 1234567.0), ("CHF 1'250", 1250.0),
    ("€ 12.000", 12000.0), ("120.000", 120000.0), ("12.50", 12.5), ("0.125", 0.125),  # a thousands dot
])
def test_money(raw, expected):
    assert v.parse_money(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "$", "1,23,4", "1.2.3", True, float("inf")])
def test_bad_money(raw):
    with pytest.raises(ValueError):
        v.parse_money(raw)


@given(st.integers(0, 10**9), st.integers(0, 99))
def test_money_formats_roundtrip(whole, cents):
    x = whole + cents / 100
    assert v.parse_money(f"${whole:,}.{cents:02d}") == pytest.approx(x)
    assert v.parse_money(f"{whole:,}.{cents:02d} USD".replace(",", "")) == pytest.approx(x)
    assert v.parse_money(f"€{whole:,}.{cents:02d}".replace(",", "X").replace(".", ",").replace("X", ".")) \
        == pytest.approx(x)


@pytest.mark.parametrize("raw, expected", [
    ("  Ana.Lopez@Example.COM ", "ana.lopez@example.com"), ("Ana <ana@acme.com>", "ana@acme.com"),
    ("mailto:BOB@beta.io", "bob@beta.io"),
])
def test_emails(raw, expected):
    assert v.normalise_email(raw) == expected


@pytest.mark.parametrize("raw", ["not-an-email", "a@b", "a b@c.com", "@acme.com", "ana@", "a@-x.com"])
def test_bad_emails(raw):
    with pytest.raises(ValueError, match="not an email address"):
        v.normalise_email(raw)


@pytest.mark.parametrize("raw, expected", [("https://www.Acme.com/about", "acme.com"), ("beta.io", "beta.io"),
                                           ("ana@gamma.org", "gamma.org"), ("http://shop.delta.fr:8080/x", "shop.delta.fr")])
def test_domains(raw, expected):
    assert v.normalise_domain(raw) == expected


@pytest.mark.parametrize("raw, expected", [("Yes", True), ("no", False), ("TRUE", True), ("0", False), (1, True),
                                           ("x", True), ("Unsubscribed", True), ("subscribed", False),
                                           ("completed", True), ("partial", False), ("Ja", True), ("Nein", False),
                                           ("Oui", True), ("non", False), ("Sí", True), ("Não", False),
                                           ("はい", True), ("否", False)])
def test_flags(raw, expected):
    assert v.parse_bool(raw) is expected


@pytest.mark.parametrize("raw, expected", [("Renewal", "renewal"), ("Cross-sell", "cross_sell"), ("cross sell", "cross_sell"),
                                           ("Upsell", "upsell"), ("Expansion", "upsell"), ("Downsell", "downsell"),
                                           ("Churned", "churn"), ("New business", "new"), ("Contraction", "downsell")])
def test_revenue_kinds(raw, expected):
    assert v.parse_revenue_kind(raw) == expected


def test_program_kinds_and_other_surveys():
    assert v.parse_program_kind("NPS") == "rnps"
    assert v.parse_program_kind("Transactional") == "tnps"
    assert v.parse_program_kind("eNPS") == "enps"
    assert v.parse_program_kind("csat") is None
    with pytest.raises(ValueError):
        v.parse_program_kind("weather")


def test_names_split():
    assert v.split_name("Ada Lovelace") == ("Ada", "Lovelace")
    assert v.split_name("Lovelace, Ada") == ("Ada", "Lovelace")
    assert v.split_name("Cher") == ("Cher", None)


def test_whole_numbers():
    assert v.parse_int("1,200") == 1200 and v.parse_int(250.0) == 250
    for bad in ("12.5", "many"):
        with pytest.raises(ValueError, match="not a whole number"):
            v.parse_int(bad)
