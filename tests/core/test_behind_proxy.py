"""Behind a trusted reverse proxy that terminates HTTPS, the URLs the API answers are https://;
a proxy header from an address that is not trusted changes nothing."""

from __future__ import annotations

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient

from app.core.settings import Settings
from app.factory import create_app
from tests.factories import Api
from tests.family_world import API, learner, school


async def _invite_url(client: AsyncClient, api: Api, proto: str) -> str:
    de = await school(api, "DE", "Europe/Berlin")
    lena = await learner(api, de, 14)
    created = await client.post(
        f"{API}/learners/{lena.id}/guardian-invites",
        json={"email": f"family-{lena.id[:8]}@example.org"},
        headers={**de.coordinator.headers, "X-Forwarded-Proto": proto},
    )
    assert created.status_code == 201, created.text
    url: str = created.json()["invite_url"]
    return url


async def test_urls_follow_a_trusted_proxys_scheme(api: Api, client: AsyncClient) -> None:
    assert (await _invite_url(client, api, "https")).startswith("https://test/")


async def test_an_untrusted_proxy_header_is_ignored(
    settings: Settings, client: AsyncClient
) -> None:
    del client  # the tables are ready; this app trusts another address only
    guarded = create_app(settings.model_copy(update={"forwarded_allow_ips": "10.1.2.3"}))
    async with (
        LifespanManager(guarded),
        AsyncClient(transport=ASGITransport(app=guarded), base_url="http://test") as http,
    ):
        api = await Api.start(http)
        assert (await _invite_url(http, api, "https")).startswith("http://test/")


async def test_invitation_links_can_point_to_a_schools_own_frontend(
    settings: Settings, client: AsyncClient
) -> None:
    del client  # the tables are ready
    frontend = "https://portal.school.example/family/join?invite={token}"
    app = create_app(settings.model_copy(update={"invite_link_url": frontend}))
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as http,
    ):
        api = await Api.start(http)
        url = await _invite_url(http, api, "http")
        assert url.startswith("https://portal.school.example/family/join?invite=")
        token = url.rsplit("=", 1)[1]
        accepted = await http.post(
            f"{API}/guardian-invites/{token}/accept",
            json={"display_name": "Anna Schmidt", "password": "a-long-family-password"},
        )
        assert accepted.status_code == 201, accepted.text  # the link's token is the real one
