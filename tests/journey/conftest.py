from tests.realtime.conftest import live_settings  # noqa: F401
