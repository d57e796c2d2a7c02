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
