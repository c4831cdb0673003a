"""The live room's AsyncAPI document: generated from the protocol models, complete."""

from __future__ import annotations

from httpx import AsyncClient

from app.live import protocol
from app.realtime.asyncapi import COMMAND_SUMMARIES


async def test_the_asyncapi_document_describes_every_message(client: AsyncClient) -> None:
    response = await client.get("/asyncapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["asyncapi"] == "3.0.0"
    messages = document["components"]["messages"]
    contract = {
        "chat.send", "chat.delete", "poll.start", "poll.vote", "poll.close", "breakout.start",
        "breakout.end", "member.mute", "member.remove", "hand.raise", "reaction.send",
        "session.end", "ping", "chat.message", "chat.deleted", "poll.started", "poll.results",
        "poll.closed", "breakout.started", "breakout.ended", "member.muted", "member.removed",
        "hand.raised", "reaction", "session.ended", "pong", "welcome", "ack", "error",
        "presence.joined", "presence.left", "hand.lower", "hand.lowered",
        # activities (CONTRACT.md, "Activities, reflections, badges")
        "activity.start", "activity.end", "quiz.answer", "wordcloud.submit", "glossary.add",
        "activity.started", "activity.ended", "quiz.results", "wordcloud.updated",
        "glossary.added",
    }  # fmt: skip
    assert set(messages) == contract
    schemas = document["components"]["schemas"]
    for name, message in messages.items():
        target = message["payload"]["$ref"].rsplit("/", 1)[-1]
        assert schemas[target]["properties"]["type"]["const"] == name
    assert set(schemas["Welcome"]["required"]) >= {
        "room", "epoch", "seq", "you", "presence", "state", "recovered", "missed",
    }  # fmt: skip
    assert "seq" in schemas["ChatMessageEvent"]["required"]
    assert "chat" in schemas["Welcome"]["properties"]
    assert "activity" in schemas["RoomState"]["properties"]
    channel = document["channels"]["liveRoom"]
    assert channel["address"] == "/ws/sessions/{session_id}"
    assert set(channel["x-close-codes"]) == {
        "1007", "1008", "1009", "1011", "1012", "4001", "4003", "4004", "4008",
    }  # fmt: skip
    for operation in document["operations"].values():
        for ref in operation["messages"]:
            assert ref["$ref"].rsplit("/", 1)[-1] in messages


async def test_every_message_has_its_own_summary(client: AsyncClient) -> None:
    """Summaries come from each message model's own docstring, never pydantic's."""
    messages = (await client.get("/asyncapi.json")).json()["components"]["messages"]
    for name, message in messages.items():
        summary = message["summary"]
        assert summary != name, name
        assert "Usage Documentation" not in summary, name
        assert "!!!" not in summary, name
    assert messages["chat.message"]["summary"] == (
        "A chat message, as every member of the room sees it."
    )


async def test_every_message_has_a_description_and_an_example_its_model_accepts(
    client: AsyncClient,
) -> None:
    messages = (await client.get("/asyncapi.json")).json()["components"]["messages"]
    models = {
        protocol.message_type(m): m
        for m in (
            *protocol.COMMAND_MODELS,
            *protocol.ROOM_EVENT_MODELS,
            *protocol.DIRECT_EVENT_MODELS,
        )
    }
    for name, message in messages.items():
        assert message["summary"], name
        assert len(message["summary"]) <= 120, name
        assert message["description"].startswith(message["summary"].rstrip(".")) or (
            name in COMMAND_SUMMARIES
        ), name
        assert len(message["description"]) > len(message["summary"]), name
        (example,) = message["examples"]
        assert example["payload"]["type"] == name
        models[name].model_validate(example["payload"])
    assert messages["chat.send"]["summary"] == "Send a chat message to the room"
    error = messages["error"]["examples"][0]["payload"]
    assert error["code"] == "forbidden"
    assert "?lang=" in messages["chat.send"]["description"]
