import pytest

from nps_desktop.core import settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def test_defaults_and_round_trip(ws):
    assert settings.get(ws, "fiscal_year_start_month") == 1
    assert settings.get(ws, "nps_goal") is None
    settings.set_value(ws, "nps_goal", 45)
    settings.set_value(ws, "company_name", "Acme & Co <b>")
    assert settings.get(ws, "nps_goal") == 45
    assert settings.get(ws, "company_name") == "Acme & Co <b>"


@pytest.mark.parametrize("key,value", [("fiscal_year_start_month", 13), ("nps_goal", 120),
                                       ("page_size", "A3"), ("unknown", 1)])
def test_bad_values_are_refused_and_change_nothing(ws, key, value):
    with pytest.raises(ValueError):
        settings.set_value(ws, key, value)
    assert ws.scalar("SELECT count(*) FROM settings") == 0


def test_logo_round_trip_and_validation(ws):
    settings.set_logo(ws, PNG)
    assert settings.logo_bytes(ws) == PNG
    with pytest.raises(ValueError, match="PNG or JPEG"):
        settings.set_logo(ws, b"GIF89a....")
    assert settings.logo_bytes(ws) == PNG
    settings.set_logo(ws, None)
    assert settings.logo_bytes(ws) is None


def test_every_setting_is_declared_once_with_a_default_of_its_type():
    for key, s in settings.SETTINGS.items():
        assert s.key == key and s.label and s.help
        assert (s.default is None and s.optional) or isinstance(s.default, (s.type, int) if s.type is float else s.type)
    assert set(settings.LOOP_SETTINGS) == {k for k in settings.SETTINGS if k.startswith("loop.")}


def test_typed_reads_give_the_default_then_the_stored_value(ws):
    assert settings.get(ws, settings.LOOP_HISTORY_DAYS) == 30
    settings.set_value(ws, settings.LOOP_HISTORY_DAYS, 60)
    assert settings.get(ws, settings.LOOP_HISTORY_DAYS) == 60 == settings.get(ws, "loop.history_days")
    assert settings.get_in(ws.conn, settings.LOOP_HISTORY_DAYS) == 60


@pytest.mark.parametrize("key,value,message", [
    ("loop.history_days", "30", "history cut-off"), ("company_name", 7, "company name takes a text"),
    ("loop.health_weights", {"mood": 1}, "unknown health component"),
    ("loop.holidays", ["Christmas"], "'Christmas' is not a date"),
])
def test_a_value_of_the_wrong_type_is_refused_naming_the_setting(ws, key, value, message):
    with pytest.raises(ValueError, match=message):
        settings.set_value(ws, key, value)
    assert ws.scalar("SELECT count(*) FROM settings") == 0


def test_health_weights_are_stored_normalised(ws):
    settings.set_value(ws, settings.LOOP_HEALTH_WEIGHTS, {"nps": 1})
    assert settings.get(ws, settings.LOOP_HEALTH_WEIGHTS) == {"nps": 1.0, "trend": 0.0, "open_saves": 0.0,
                                                              "revenue": 0.0, "renewal": 0.0}
