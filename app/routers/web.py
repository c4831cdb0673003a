"""The web client (docs/client.md): its pages and assets, served by the app.

Pages are static HTML files under `app/web/`; everything they do goes through the public API
and the live room, like any other client. Each page is sent with a strict Content-Security-Policy
(scripts, styles and connections from this origin only, no inline script or style), no
referrer (the invitation page's path carries a secret) and no framing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
ASSETS_PATH = "/assets"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self' ws: wss:",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(WEB_DIR / f"{name}.html", media_type="text/html", headers=SECURITY_HEADERS)


@router.get("/")
async def index() -> FileResponse:
    """Log in; a logged-in user is sent on to their page (console, family, sessions)."""
    return _page("index")


@router.get("/console")
async def console() -> FileResponse:
    """Teachers and coordinators: the week, exchanges, live rooms, attendance, matching."""
    return _page("console")


@router.get("/join/{session_id}")
async def join(session_id: Annotated[str, PathParam(max_length=64)]) -> FileResponse:
    """A learner's live room, phones first."""
    return _page("join")


@router.get("/family")
async def family() -> FileResponse:
    """A guardian's learners: sessions, attendance, hours and consents."""
    return _page("family")


@router.get("/invite/{token}", name="guardian_invite_page")
async def invite(token: Annotated[str, PathParam(max_length=100)]) -> FileResponse:
    """Where a guardian invitation link points: accept it and set a password."""
    return _page("invite")


class WebAssets(StaticFiles):
    """The client's modules, stylesheet and translations, with the pages' security headers."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response


def assets() -> WebAssets:
    return WebAssets(directory=WEB_DIR / "assets")
