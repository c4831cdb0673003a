"""Issue 18, finding 7: moderation follows the relationship rules of attendance. A teacher
mutes and removes the learners of their own school only; a partner school's teacher is refused
(`forbidden`) and the learner stays in the room, unmuted."""

from __future__ import annotations

from tests.realtime.conftest import World
from tests.realtime.live import LiveClient, LiveServer, new_session


async def test_a_partner_schools_teacher_cannot_moderate_my_learner(
    server: LiveServer, world: World
) -> None:
    session_id = await new_session(server.http, world.exchange, world.t_fr)
    t_fr = await LiveClient.join(server, world.t_fr, session_id)
    t_fi = await LiveClient.join(server, world.t_fi, session_id)
    finn = world.learners_fi[9]
    finn_c = await LiveClient.join(server, finn, session_id)

    muted = await t_fr.command("member.mute", user_id=finn.id, minutes=5)
    assert (muted["type"], muted["code"]) == ("error", "forbidden")
    removed = await t_fr.command("member.remove", user_id=finn.id)
    assert (removed["type"], removed["code"]) == ("error", "forbidden")
    assert (await finn_c.command("chat.send", text="still here"))["type"] == "ack"

    assert (await t_fi.command("member.mute", user_id=finn.id, minutes=5))["type"] == "ack"
    assert (await t_fi.command("member.remove", user_id=finn.id))["type"] == "ack"
    assert await finn_c.wait_closed() == 4003
    for client in (t_fr, t_fi):
        await client.close()
