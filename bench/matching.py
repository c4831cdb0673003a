"""Benchmark: optimal pairs and groups on seeded instances (see docs/benchmarks.md).

    python -m bench.matching [--sizes 200,1000,3000] [--seed 1] [--budget 30]

Pairs: classes from `bench.generator` after the hard filters (classes with no compatible
partner at all are dropped and counted, more are generated until `n` remain), their graph from
`compatible_pairs` (timed against the scalar `compatibility_graph`, which must give the same
edges and scores), then `solve_pairs` (sparse solve with an optimality certificate, plus the
assignment bound) against rustworkx's blossom algorithm on every edge and networkx's
`max_weight_matching(maxcardinality=True)`, measured in the same run on the same graph; the run
stops unless all reach the same cardinality and weight. networkx runs in a child process and is
given up after `--peer-timeout` seconds (default 120) for sizes above 1,000. Groups of three:
at 150 classes the search with its exact CP-SAT path against the heuristic alone, both with
`--budget` seconds; at 1,000 classes the heuristic against `pair_mean_bound`.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from app.core.rules.codes import cefr_rank
from app.matching.rules.groups import GroupResult, solve_groups
from app.matching.rules.pair_graph import compatible_pairs
from app.matching.rules.pairs import blossom, index_graph, solve_pairs
from app.matching.rules.types import ClassProfile, GroupCompatibility, MatchingOptions
from bench.generator import generate

Edge = tuple[str, str, int]
GroupCheck = Callable[[tuple[str, ...]], int | None]
OPTIONS = MatchingOptions()


@dataclass
class Graph:
    profiles: list[ClassProfile]
    edges: list[Edge]
    group_ok: GroupCheck
    seconds: float


def compatibility(profiles: list[ClassProfile]) -> tuple[list[Edge], GroupCheck, str]:
    """The real compatibility module when it is there; else a crude stand-in (said so)."""
    try:
        from app.matching.rules import compatibility as module
        from app.matching.rules.pair_graph import compatible_pairs
    except ImportError:
        return (*stand_in(profiles), "stand-in weights (no compatibility module)")
    edges = compatible_pairs(profiles, OPTIONS).edges()
    prepared = {p.id: module.prepare(p, OPTIONS) for p in profiles}

    def group_ok(members: tuple[str, ...]) -> int | None:
        result = module.group_check([prepared[m] for m in members], OPTIONS)
        return result.score if isinstance(result, GroupCompatibility) else None

    return edges, group_ok, "app.matching.rules.pair_graph"


def stand_in(profiles: list[ClassProfile]) -> tuple[list[Edge], GroupCheck]:
    """Different countries, a language both hold at A2 or better, six joint weeks; the score
    rewards the same field and the language level."""
    spoken = {
        p.id: {x.code: cefr_rank(x.level) for x in p.languages if cefr_rank(x.level) >= 1}
        for p in profiles
    }
    edges = []
    for a, b in itertools.combinations(profiles, 2):
        shared = spoken[a.id].keys() & spoken[b.id].keys()
        joint = (min(a.term_end, b.term_end) - max(a.term_start, b.term_start)).days
        if a.country != b.country and shared and joint >= 42:
            level = max(min(spoken[a.id][c], spoken[b.id][c]) for c in shared)
            edges.append((a.id, b.id, 500 * (a.field == b.field) + 100 * level))

    weight = {(a, b): w for a, b, w in edges}

    def group_ok(members: tuple[str, ...]) -> int | None:
        if not set.intersection(*(set(spoken[m]) for m in members)):
            return None
        pairs = [weight[pair] for pair in itertools.combinations(members, 2)]
        return (2 * sum(pairs) + len(pairs)) // (2 * len(pairs))

    return edges, group_ok


def build(n: int, seed: int) -> tuple[Graph, str]:
    profiles = generate(n, seed)
    started = time.perf_counter()
    edges, group_ok, source = compatibility(profiles)
    return Graph(profiles, edges, group_ok, time.perf_counter() - started), source


def after_filters(n: int, seed: int) -> tuple[list[ClassProfile], int, Counter[str]]:
    """`n` generated classes that each have a compatible partner among them: generate more,
    drop the classes with no partner at all, keep the first `n` left (and again if keeping
    fewer stranded one). Returns them, how many were generated, and why the others went."""
    total = n
    while True:
        profiles = generate(total, seed)
        reasons = compatible_pairs(profiles, OPTIONS).reasons
        kept = [p for p in profiles if reasons[p.id] is None]
        while len(kept) >= n:
            chosen = kept[:n]
            inner = compatible_pairs(chosen, OPTIONS).reasons
            stranded = {c for c, reason in inner.items() if reason is not None}
            if not stranded:
                last = chosen[-1].id
                dropped = Counter(
                    str(reasons[p.id]) for p in profiles if p.id <= last and p not in chosen
                )
                return chosen, sum(1 for p in profiles if p.id <= last), dropped
            kept = [p for p in kept if p.id not in stranded]
        total += n - len(kept) + max(5, n // 100)


def scalar_graph(profiles: list[ClassProfile], edges: list[Edge]) -> float:
    """Seconds for the scalar reference `compatibility_graph`; stops unless it gives the same
    edges and scores as the array path."""
    from app.matching.rules.compatibility import compatibility_graph

    started = time.perf_counter()
    pairs, _ = compatibility_graph(profiles, OPTIONS)
    seconds = time.perf_counter() - started
    if [(c.a, c.b, c.score) for c in pairs] != edges:
        raise SystemExit("compatible_pairs and compatibility_graph disagree")
    return seconds


def rustworkx_matching(ids: list[str], edges: Sequence[Edge]) -> tuple[int, int, float]:
    """The previous solver: rustworkx's blossom algorithm on every edge."""
    started = time.perf_counter()
    g = index_graph(ids, edges)
    matching = blossom(g)
    weights = {(a, b): w for a, b, w in zip(g.a.tolist(), g.b.tolist(), g.w.tolist(), strict=True)}
    weight = sum(weights[pair] for pair in matching)
    return len(matching), weight, time.perf_counter() - started


def networkx_matching(edges: Sequence[Edge]) -> tuple[int, int, float]:
    started = time.perf_counter()
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    weight = sum(graph[a][b]["weight"] for a, b in matching)
    return len(matching), weight, time.perf_counter() - started


def _child(edges: Sequence[Edge], queue: Any) -> None:
    queue.put(networkx_matching(edges))


def networkx_with_timeout(edges: Sequence[Edge], timeout: float) -> tuple[int, int, float] | None:
    queue: Any = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_child, args=(edges, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    result: tuple[int, int, float] = queue.get()
    return result


def pairs_row(
    n: int, seed: int, peer_timeout: float, countries: dict[str, str], notes: list[str]
) -> list[str]:
    profiles, generated, dropped = after_filters(n, seed)
    started = time.perf_counter()
    edges = compatible_pairs(profiles, OPTIONS).edges()
    graph_s = time.perf_counter() - started
    reference_s = scalar_graph(profiles, edges)
    why = ", ".join(f"{reason} {count}" for reason, count in dropped.most_common())
    notes.append(f"{n:,}: {generated:,} generated, {generated - n:,} dropped ({why})")
    ids = [p.id for p in profiles]
    started = time.perf_counter()
    result = solve_pairs(ids, edges)
    seconds = time.perf_counter() - started
    if n <= 1000:
        peer: tuple[int, int, float] | None = networkx_matching(edges)
    else:
        peer = networkx_with_timeout(edges, peer_timeout)
    previous = rustworkx_matching(ids, edges)
    for found in (peer, previous):
        if found is not None and (found[0], found[1]) != (len(result.pairs), result.objective):
            raise SystemExit(f"a peer found {found[:2]}, solve_pairs {len(result.pairs)}")
    matched = {x for a, b, _ in result.pairs for x in (a, b)}
    by_country = Counter(p.country for p in profiles)
    matched_by = Counter(p.country for p in profiles if p.id in matched)
    shares = {c: matched_by[c] / by_country[c] for c in by_country}
    worst = min(shares, key=lambda c: shares[c])
    if n == 1000:
        for c in sorted(by_country, key=lambda c: -by_country[c]):
            countries[c] = f"{shares[c]:.3f} ({matched_by[c]}/{by_country[c]})"
    density = 2 * len(edges) / (n * (n - 1))
    peer_text = "—" if peer is None else f"{peer[2]:.1f} s"
    return [
        f"{n:,}",
        f"{len(edges):,} ({density:.0%})",
        f"{graph_s:.2f} s",
        f"{reference_s:.1f} s",
        f"{seconds:.2f} s",
        f"{previous[2]:.1f} s",
        peer_text,
        "yes" if peer is not None else f"yes (rustworkx; networkx > {peer_timeout:.0f} s)",
        f"{len(result.pairs):,}",
        f"{result.objective / result.upper_bound:.4f}",
        f"{len(matched) / n:.3f}",
        f"{worst} {shares[worst]:.3f}",
    ]


def run_groups(graph: Graph, budget: float, seed: int, exact: bool) -> tuple[GroupResult, float]:
    ids = [p.id for p in graph.profiles]
    countries = {p.id: p.country for p in graph.profiles}
    weights = {(a, b): w for a, b, w in graph.edges}
    started = time.perf_counter()
    result = solve_groups(
        ids,
        countries,
        weights,
        3,
        graph.group_ok,
        budget,
        seed,
        clock=time.monotonic,
        exact_limit=200_000 if exact else 0,
        scores_are_pair_means=True,
    )
    return result, time.perf_counter() - started


def group_rows(budget: float, seed: int) -> list[list[str]]:
    rows = []
    small, _ = build(150, seed)
    exact, exact_s = run_groups(small, budget, seed, exact=True)
    heuristic, heuristic_s = run_groups(small, budget, seed, exact=False)
    for label, result, seconds in (
        ("150, CP-SAT path", exact, exact_s),
        ("150, heuristic only", heuristic, heuristic_s),
    ):
        rows.append(group_row(label, result, seconds, exact.objective, exact.best_bound))
    large, _ = build(1000, seed)
    result, seconds = run_groups(large, budget, seed, exact=False)
    rows.append(group_row("1,000, heuristic", result, seconds, None, result.best_bound))
    return rows


def group_row(
    label: str, result: GroupResult, seconds: float, versus: int | None, bound: float | None
) -> list[str]:
    return [
        label,
        f"{seconds:.1f} s",
        f"{len(result.groups)}",
        f"{result.objective:,}",
        "—" if versus is None else f"{result.objective / versus:.4f}",
        "—" if not bound else f"{bound:,.0f} ({result.objective / bound:.4f})",
        "yes" if result.exact else "no",
        f"{result.evaluations:,}",
        f"{len(result.pairs.pairs)} / {len(result.pairs.unmatched)}",
    ]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="200,1000,3000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per group search")
    parser.add_argument("--peer-timeout", type=float, default=120.0)
    parser.add_argument("--skip-groups", action="store_true")
    args = parser.parse_args()
    countries: dict[str, str] = {}
    notes: list[str] = []
    rows = [
        pairs_row(int(n), args.seed, args.peer_timeout, countries, notes)
        for n in args.sizes.split(",")
    ]
    print("\n### Pairs\n")
    header = ["classes (each with a partner)", "compatible pairs", "graph", "graph, scalar"]
    header += ["solve_pairs", "rustworkx, all edges", "networkx", "same optimum", "pairs"]
    header += ["objective / bound", "matched", "lowest country share"]
    print(table(header, rows))
    print("\nClasses generated and dropped for having no compatible partner:\n")
    print("\n".join(f"- {note}" for note in notes))
    if countries:
        print("\nMatched share per country at 1,000 classes:\n")
        print(table(list(countries), [list(countries.values())]))
    if not args.skip_groups:
        print("\n### Groups of three\n")
        header = ["classes", "time", "groups", "objective", "vs CP-SAT path", "bound (ratio)"]
        header += ["proven", "group checks", "fallback pairs / unmatched"]
        print(table(header, group_rows(args.budget, args.seed)))


if __name__ == "__main__":
    main()
