"""Webhook tests reach a receiver on this machine (private URLs allowed), and drive the sender
themselves: the lifespan's own sender polls once an hour."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from app.core.settings import Settings
from app.webhooks.sender import WebhookSender
from tests.webhooks.receiver import Receiver, running_receiver

DISABLE_AFTER = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "webhook_allow_private_urls": True,
            "webhook_poll_seconds": 3600.0,
            "webhook_disable_after_failures": DISABLE_AFTER,
        }
    )


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running


def sender(application: FastAPI, *, allow_private: bool = True) -> WebhookSender:
    """A fresh sender, as another process would start one."""
    ctx = application.state.ctx
    return WebhookSender(
        ctx.db_factory,
        clock=ctx.clock,
        timeout_s=5.0,
        disable_after=ctx.settings.webhook_disable_after_failures,
        allow_private=allow_private,
        metrics=ctx.metrics,
    )
