"""The process's Prometheus metrics, in a registry of its own (one per app, so test apps never
share counters). Hot paths only add to counters and histograms; gauges of state (rooms,
connections, the outbox, the background loops) are read when `/metrics` is scraped.

Names follow Prometheus conventions: `passerelle_` prefix, `_total` counters, `_seconds`
durations. The `route` label is the route template (`/api/v1/sessions/{session_id}`), never
the raw path, so ids never become label values (and secrets never reach the metrics).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RUN_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

# name -> (help, labels, read): a gauge family read at scrape time
GaugeReader = Callable[[], Iterable[tuple[tuple[str, ...], float]]]


class _ReadAtScrape(Collector):
    def __init__(self) -> None:
        self.gauges: dict[str, tuple[str, tuple[str, ...], GaugeReader]] = {}

    def collect(self) -> Iterable[Metric]:
        for name, (documentation, labels, read) in self.gauges.items():
            family = GaugeMetricFamily(name, documentation, labels=list(labels))
            for values, value in read():
                family.add_metric(list(values), value)
            yield family


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_requests = Counter(
            "passerelle_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_latency = Histogram(
            "passerelle_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.ws_opened = Counter(
            "passerelle_ws_connections_opened", "Room WebSockets accepted", registry=r
        )
        self.room_commands = Counter(
            "passerelle_room_commands",
            "Room commands and joins/leaves written as room events (events in)",
            registry=r,
        )
        self.room_events_stored = Counter(
            "passerelle_room_events_stored", "Room events numbered and stored", registry=r
        )
        self.room_events_delivered = Counter(
            "passerelle_room_events_delivered",
            "Room events queued to this process's connections (events out)",
            registry=r,
        )
        self.queue_overflows = Counter(
            "passerelle_ws_queue_overflows",
            "Connections cut as slow consumers (close 4008; they resume)",
            registry=r,
        )
        self.resumes = Counter(
            "passerelle_ws_resumes",
            "Joins that asked to resume, by outcome (recovered: the missed events replayed; "
            "fresh: history gone, a fresh state)",
            ["outcome"],
            registry=r,
        )
        self.room_write = Histogram(
            "passerelle_room_write_seconds",
            "Time to number, store and commit one room command's events",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.run_seconds = Histogram(
            "passerelle_worker_run_seconds",
            "Time a matching run spent in its worker process, by kind",
            ["kind"],
            buckets=RUN_BUCKETS,
            registry=r,
        )
        self.runs_finished = Counter(
            "passerelle_worker_runs_finished",
            "Matching runs finished in this process, by kind and status",
            ["kind", "status"],
            registry=r,
        )
        self.webhook_deliveries = Counter(
            "passerelle_webhook_deliveries",
            "Webhook delivery attempts, by outcome (delivered; retry: will be tried again; "
            "failed: given up; refused: the URL resolved to a non-public address; expired)",
            ["outcome"],
            registry=r,
        )
        self._scraped = _ReadAtScrape()
        r.register(self._scraped)
        self.outbox = Gauge(
            "passerelle_outbox_messages",
            "Outbox messages by status (pending is the backlog; failed gave up)",
            ["status"],
            registry=r,
        )
        self.webhook_pending = Gauge(
            "passerelle_webhook_pending",
            "Webhook deliveries waiting to be sent (of enabled and disabled subscriptions)",
            registry=r,
        )

    def read_at_scrape(
        self, name: str, documentation: str, labels: tuple[str, ...], read: GaugeReader
    ) -> None:
        """A gauge family whose samples `read` gives when scraped (state, not events)."""
        self._scraped.gauges[name] = (documentation, labels, read)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
