"""Issue 18, finding 7: with `PASSERELLE_PUBLIC_BASE_URL` set, the URLs the API answers (feed,
ticket, invitation links) are under it, whatever `Host` header a request carries."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from app.core.settings import Settings
from tests.factories import Api

PUBLIC = "https://passerelle.example.eu"
EVIL = {"Host": "evil.example"}


@pytest.fixture
def public_settings(settings: Settings) -> Settings:
    settings.public_base_url = PUBLIC
    return settings


async def test_a_feed_url_ignores_a_hostile_host_header(
    public_settings: Settings, client: AsyncClient, api: Api
) -> None:
    answer = await client.post("/api/v1/calendar/feeds", headers=api.admin.headers | EVIL)
    assert answer.status_code == 201, answer.text
    assert answer.json()["url"].startswith(f"{PUBLIC}/calendar/")


async def test_an_invitation_url_ignores_a_hostile_host_header(
    public_settings: Settings, client: AsyncClient, api: Api
) -> None:
    org = await api.organisation()
    learner = await api.user("learner", org["id"])
    answer = await client.post(
        f"/api/v1/learners/{learner.id}/guardian-invites",
        json={"email": "parent@family.example.eu"},
        headers=api.admin.headers | EVIL,
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["invite_url"].startswith(f"{PUBLIC}/invite/")


def test_the_setting_takes_an_origin_only() -> None:
    with pytest.raises(ValueError, match="public_base_url"):
        Settings(public_base_url="https://passerelle.example.eu/some/path")
    assert Settings(public_base_url=PUBLIC + "/").public_base_url == PUBLIC


async def test_without_the_setting_urls_follow_the_request(client: AsyncClient, api: Api) -> None:
    answer = await client.post("/api/v1/calendar/feeds", headers=api.admin.headers)
    assert answer.json()["url"].startswith("http://test/calendar/")
