"""A room's `error` events speak the connection's language: `?lang=` on the room's URL, else
the upgrade request's `Accept-Language`, else English; the `code` never changes."""

from __future__ import annotations

from app.core.rules.error_texts import CATALOGUE
from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer, new_session, ticket

POLL = {"question": "Q?", "options": ["a", "b"]}


async def _refused(client: LiveClient) -> dict[str, object]:
    """A learner starting a poll: refused with `forbidden`."""
    error = await client.command("poll.start", **POLL)
    assert error["type"] == "error", error
    assert error["code"] == "forbidden"
    return error


async def _open(
    server: LiveServer, world: World, session_id: str, headers: dict[str, str] | None = None
) -> LiveClient:
    value = await ticket(server.http, world.learners_fr[0], session_id)
    client = await LiveClient.open(server.ws_url(session_id, ticket=value), headers=headers)
    await client.wait_for(lambda f: f["type"] == "welcome")
    return client


async def test_a_refused_command_answers_in_the_lang_of_the_url(
    server: LiveServer, world: World
) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    french = await LiveClient.join(server, world.learners_fr[0], session_id, lang="fr")
    english = await LiveClient.join(server, world.learners_fr[1], session_id)
    assert (await _refused(french))["message"] == CATALOGUE["forbidden"]["fr"]
    default = (await _refused(english))["message"]
    assert default == "Only teachers may do this."  # the raise site's own English
    await french.close()
    await english.close()


async def test_the_upgrade_requests_accept_language_is_followed(
    server: LiveServer, world: World
) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    client = await _open(server, world, session_id, {"Accept-Language": "fr-CA, en;q=0.5"})
    assert (await _refused(client))["message"] == CATALOGUE["forbidden"]["fr"]
    await client.send("{not json")
    error = await client.wait_for(lambda f: f.get("code") == "invalid_json")
    assert error["message"] == CATALOGUE["invalid_json"]["fr"]
    await client.close()


async def test_lang_wins_over_the_header_and_unknown_ones_fall_back_to_english(
    server: LiveServer, world: World
) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    value = await ticket(server.http, world.learners_fi[0], session_id)
    url = server.ws_url(session_id, ticket=value, lang="fi")
    finnish = await LiveClient.open(url, headers={"Accept-Language": "de"})
    await finnish.wait_for(lambda f: f["type"] == "welcome")
    assert (await _refused(finnish))["message"] == CATALOGUE["forbidden"]["fi"]
    value = await ticket(server.http, world.learners_fi[1], session_id)
    unknown = await LiveClient.open(server.ws_url(session_id, ticket=value, lang="ja"))
    await unknown.wait_for(lambda f: f["type"] == "welcome")
    assert (await _refused(unknown))["message"] == "Only teachers may do this."
    await finnish.close()
    await unknown.close()
