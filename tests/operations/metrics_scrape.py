"""Reading `/metrics` in tests: the exposition parsed into samples."""

from __future__ import annotations

from httpx import AsyncClient
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "a-metrics-token-for-the-scraper"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(http: AsyncClient) -> tuple[str, Samples]:
    response = await http.get("/metrics", headers=SCRAPER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return response.text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)
