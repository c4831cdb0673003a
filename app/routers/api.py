"""Every router, included in one place."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from app.routers import auth, classes, health, networks, organisations, users

API_PREFIX = "/api/v1"


def include_routers(app: FastAPI) -> None:
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth.router)  # before users: /users/me must win over /users/{id}
    api.include_router(organisations.router)
    api.include_router(networks.router)
    api.include_router(users.router)
    api.include_router(classes.router)
    app.include_router(health.router)
    app.include_router(api)
