"""Host-family tests run on the mobility tests' app: a clock they move, e-mail on (the outbox
rows are what is checked), no background sweep coming round."""

from __future__ import annotations

from tests.mobility.conftest import application, clock, settings

__all__ = ["application", "clock", "settings"]
