"""Every router, included in one place."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from app.routers import (
    activities,
    attendance,
    attendance_reports,
    auth,
    badges,
    certificates,
    classes,
    code_lists,
    exchange_threads,
    families,
    family_view,
    health,
    hosting,
    impact,
    live,
    matching,
    metrics,
    mobility,
    networks,
    notifications,
    organisations,
    privacy,
    push,
    sessions,
    users,
    web,
    webhooks,
)

API_PREFIX = "/api/v1"


def include_routers(app: FastAPI) -> None:
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth.router)  # before users: /users/me must win over /users/{id}
    api.include_router(organisations.router)
    api.include_router(code_lists.router)
    api.include_router(networks.router)
    api.include_router(users.router)
    api.include_router(classes.router)
    api.include_router(matching.router)
    api.include_router(exchange_threads.router)
    api.include_router(sessions.router)
    api.include_router(families.router)
    api.include_router(family_view.router)
    api.include_router(privacy.router)
    api.include_router(notifications.router)
    api.include_router(push.router)
    api.include_router(webhooks.router)
    api.include_router(live.router)
    api.include_router(attendance_reports.router)  # before attendance: its CSV routes
    api.include_router(attendance.router)
    api.include_router(certificates.router)
    api.include_router(mobility.router)
    api.include_router(activities.router)
    api.include_router(badges.router)
    api.include_router(impact.router)  # after attendance_reports, which holds its CSV routes
    api.include_router(hosting.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(api)
    app.include_router(sessions.feeds)
    app.include_router(live.ws)
    app.include_router(badges.well_known)
    app.include_router(web.router)
    app.mount(web.ASSETS_PATH, web.assets(), name="assets")
