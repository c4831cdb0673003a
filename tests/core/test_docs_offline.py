"""`/docs` and `/redoc` need no network: every script, stylesheet and icon they load is served
by the app itself."""

from __future__ import annotations

import re

from httpx import AsyncClient


async def test_the_interactive_docs_load_only_local_assets(client: AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        html = await client.get(page)
        assert html.status_code == 200, page
        sources = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        sources += re.findall(r"url: '([^']+)'", html.text)
        assert sources, page
        for source in sources:
            assert source.startswith("/"), (page, source)  # no CDN, no other host
            asset = await client.get(source)
            assert asset.status_code == 200, (page, source)
        assert "cdn." not in html.text, page
        assert "fonts.googleapis" not in html.text, page
