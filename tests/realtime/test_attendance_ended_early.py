"""A session a teacher ends early is over then: its sheet is final at once, judged on the time
it was held, and sealed by the closer without waiting for the scheduled end."""

from __future__ import annotations

import uuid

from app.attendance.closer import due_sessions
from tests.realtime.attendance_play import MINUTE, Play, by_name, iso
from tests.realtime.live import LiveClient


async def test_a_session_ended_early_is_final_on_the_time_it_was_held(play: Play) -> None:
    fr, _it = play.exchange.schools
    play.at(0)
    teacher = await LiveClient.join(play.server, fr.teacher, play.session_id)
    on_time = await play.join("on_time")
    play.at(10)
    late = await play.join("late")
    play.at(30)
    ended = await teacher.command("session.end")
    assert ended["type"] == "ack", ended
    assert await on_time.wait_closed() == 4004
    await late.wait_closed()

    play.at(31)  # half an hour before the scheduled end
    sheet = await play.attendance(fr.teacher)
    assert sheet["state"] == "final"
    assert sheet["ends_at"] == iso(play.start + 30 * MINUTE)
    lines = by_name(sheet["items"])
    assert lines["Zoé Lefèvre"]["status"] == "present"  # all 30 minutes it was held
    assert lines["Zoé Lefèvre"]["online_seconds"] == 30 * 60

    async with play.server.app.state.ctx.db_factory() as db:
        due = await due_sessions(db, now=play.clock())
    assert uuid.UUID(play.session_id) in due  # sealed now, not after the scheduled end
    await teacher.close()
