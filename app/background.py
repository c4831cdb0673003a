"""Every background loop of a process, started and stopped in one place: the lifespan.

- `session-close`: closes ended sessions' attendance, alerts absences, and purges expired chat
  and presence (every `PASSERELLE_ABSENCE_ALERTS_POLL_SECONDS`);
- `live-sweeper`: this process's presence heartbeat, closes silent processes' presence, ends
  rooms on schedule (every `PASSERELLE_WS_SWEEP_INTERVAL_S`);
- `matching-abandoned`: fails matching runs and host-matching runs whose process is gone,
  no heartbeat (every `PASSERELLE_MATCHING_STALE_SECONDS`);
- `mobility-sweep`: check-ins falling due and missed (alerting both tutors once), overdue
  checklist reminders, mobility free-text retention (every
  `PASSERELLE_MOBILITY_SWEEP_SECONDS`);
- `hosting-retention`: purges the text of placement threads whose mobility ended longer than
  the mobility retention ago (every `PASSERELLE_MOBILITY_SWEEP_SECONDS`);
- `outbox-sender`: sends queued e-mail, only with `PASSERELLE_SMTP_URL` (every
  `PASSERELLE_OUTBOX_POLL_SECONDS`);
- `push-sender`: sends queued Web Push messages, only with the `PASSERELLE_VAPID_*` settings
  (every `PASSERELLE_PUSH_POLL_SECONDS`);
- `webhook-sender`: delivers queued webhook events to partner systems (every
  `PASSERELLE_WEBHOOK_POLL_SECONDS`).

Each is an `app.core.loops.Loop`: the same start, stop with a bounded grace, and restart when
its task dies. At start-up, before any loop runs, matching and host-matching runs left by a
process that is gone are failed once, so no request sees them as still running. Stopping stops
the loops, newest first, then cancels the matching and host-matching runs in flight (they are
marked failed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from app.attendance.closer import SessionCloser
from app.attendance.retention import DataRetention
from app.attendance.sheets import measure_from_settings
from app.context import AppContext
from app.core.loops import Loop
from app.hosting.retention import retention_loop
from app.hosting.runner import HostMatchingRunner
from app.matching.runner import MatchingRunner
from app.mobility.sweeper import MobilitySweeper
from app.notifications.outbox import email_sender
from app.notifications.push_sender import push_sender
from app.realtime.sweeper import sweeper_loop
from app.webhooks.sender import WebhookSender


@dataclass
class Background:
    matching: MatchingRunner
    matching_stale_after: timedelta
    hosting: HostMatchingRunner | None = None
    loops: list[Loop] = field(default_factory=list)

    async def start(self) -> None:
        await self.matching.fail_abandoned(stale_after=self.matching_stale_after)
        if self.hosting is not None:
            await self.hosting.fail_abandoned(stale_after=self.matching_stale_after)
        for loop in self.loops:
            loop.start()

    async def stop(self) -> None:
        for loop in reversed(self.loops):
            await loop.stop()
        await self.matching.close()
        if self.hosting is not None:
            await self.hosting.close()

    def loop(self, name: str) -> Loop:
        return next(loop for loop in self.loops if loop.name == name)


def background_for(ctx: AppContext) -> Background:
    """The loops this process runs, from its settings (not started)."""
    settings = ctx.settings
    stale_after = timedelta(seconds=settings.matching_stale_seconds)
    closer = SessionCloser(
        ctx.db_factory,
        clock=ctx.clock,
        measure=measure_from_settings(settings),
        poll_seconds=settings.absence_alerts_poll_seconds,
        retention=DataRetention(settings.retention_chat_days, settings.retention_presence_days),
        purge_seconds=settings.retention_purge_seconds,
    )

    async def fail_abandoned() -> None:
        await ctx.matching.fail_abandoned(stale_after=stale_after)
        await ctx.hosting.fail_abandoned(stale_after=stale_after)

    mobility = MobilitySweeper(
        ctx.db_factory,
        clock=ctx.clock,
        interval=settings.mobility_sweep_seconds,
        grace=timedelta(hours=settings.checkin_grace_hours),
        retention=timedelta(days=settings.retention_mobility_days),
    )
    background = Background(ctx.matching, stale_after, ctx.hosting)
    background.loops += [
        closer.loop,
        sweeper_loop(ctx.hub),
        mobility.loop,
        retention_loop(
            ctx.db_factory,
            clock=ctx.clock,
            interval=settings.mobility_sweep_seconds,
            retention=timedelta(days=settings.retention_mobility_days),
        ),
        Loop(
            "matching-abandoned",
            fail_abandoned,
            interval=settings.matching_stale_seconds,
            first_delay=settings.matching_stale_seconds,
        ),
    ]
    sender = email_sender(
        ctx.db_factory, smtp_url=settings.smtp_url, poll_seconds=settings.outbox_poll_seconds
    )
    if sender is not None:
        background.loops.append(sender.loop)
    pusher = push_sender(
        ctx.db_factory,
        private_key=settings.vapid_private_key,
        public_key=settings.vapid_public_key,
        subject=settings.vapid_subject,
        allow_http=settings.env == "development",
        poll_seconds=settings.push_poll_seconds,
    )
    if pusher is not None:
        background.loops.append(pusher.loop)
    webhooks = WebhookSender(
        ctx.db_factory,
        clock=ctx.clock,
        timeout_s=settings.webhook_timeout_s,
        disable_after=settings.webhook_disable_after_failures,
        allow_private=settings.webhook_allow_private_urls,
        metrics=ctx.metrics,
        poll_seconds=settings.webhook_poll_seconds,
    )
    background.loops.append(webhooks.loop)
    return background
