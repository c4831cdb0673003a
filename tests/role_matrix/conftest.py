"""The matrix runs with Web Push on, so its subscription rows answer for real; neither the
push nor the webhook sender polls while it runs."""

from __future__ import annotations

import pytest

from app.core.settings import Settings
from tests.notifications.push_service import vapid_keys


@pytest.fixture
def settings(settings: Settings) -> Settings:
    keys = vapid_keys()
    return settings.model_copy(
        update={
            "vapid_private_key": keys.private,
            "vapid_public_key": keys.public,
            "vapid_subject": "mailto:ops@passerelle.example",
            "push_poll_seconds": 3600.0,
            "webhook_poll_seconds": 3600.0,
        }
    )
