"""`python -m app.serve`: uvicorn with the WebSocket limits taken from the settings.

ASGI gives an application no control over WebSocket pings or the largest frame the server
buffers: the server does both. `uvicorn app.main:app` works too (its defaults ping every 20 s
with a 20 s timeout, like ours); this entry point also applies `PASSERELLE_WS_PING_INTERVAL_S`,
`PASSERELLE_WS_PING_TIMEOUT_S` and `PASSERELLE_WS_MAX_FRAME_BYTES` (the app checks the frame
size itself as well, so a larger server limit only costs memory, never the contract).
Unless `PASSERELLE_ALLOWED_ORIGINS` is set, the allowed origins are this machine on `--port`.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import uvicorn

from app.core.settings import Settings, get_settings


def uvicorn_ws_options(settings: Settings) -> dict[str, Any]:
    return {
        "ws_max_size": settings.ws_max_frame_bytes,
        "ws_ping_interval": settings.ws_ping_interval_s,
        "ws_ping_timeout": settings.ws_ping_timeout_s,
        # One encoding per event for the whole room: no per-connection compression.
        "ws_per_message_deflate": False,
    }


def local_origins(port: int) -> str:
    """The default allowed origins: this machine, on the port in use."""
    return f"http://localhost:{port},http://127.0.0.1:{port}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("PASSERELLE_WORKERS", "1")),
        help="server processes (several need PostgreSQL and Redis; production refuses otherwise)",
    )
    args = parser.parse_args(argv)
    os.environ["PASSERELLE_WORKERS"] = str(args.workers)  # the settings guard sees it
    get_settings.cache_clear()
    settings = get_settings()
    if "allowed_origins" not in settings.model_fields_set:  # the default follows the port
        os.environ["PASSERELLE_ALLOWED_ORIGINS"] = local_origins(args.port)
        get_settings.cache_clear()  # the app reads them again, with the origins
        settings = get_settings()
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        access_log=False,
        proxy_headers=False,  # the app applies them itself (PASSERELLE_FORWARDED_ALLOW_IPS)
        workers=args.workers,
        **uvicorn_ws_options(settings),
    )


if __name__ == "__main__":
    main()
