"""Benchmark: a host-matching run for 2,000 incoming learners and 3,000 families (see
docs/benchmarks.md, "Host matching").

    python -m bench.hosting [--learners 2000] [--families 3000] [--scarce 1000] [--seed 1]

One receiving organisation in ten cities; seeded families (rooms 1-3, a period available
in a spring term, diets, pets, smoking, languages with CEFR levels, a home near the
city centre, 90 % approved) and learners (three-week stays, diets, allergies, non-smoking
needs, languages, a placement near the centre, preferences) and some rooms already booked.
Times `solve` (what the run's worker process does: candidates, parts, the 0-1 programmes)
against the greedy peer `solve_greedy` on the same instance in the same run, checks both
against the hard filters and the rooms on every night, and reports the objective ratio,
learners placed and the mean score of each; then the same on a second instance with scarce
families (`--scarce`, default 1,000), where capacity is contested.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter
from datetime import date, timedelta

from app.hosting.rules.assign import solve, solve_greedy
from app.hosting.rules.filters import booked_load, refusal
from app.hosting.rules.types import (
    Booking,
    Family,
    Instance,
    Language,
    Need,
    Outcome,
    Point,
    Window,
    nights,
)

CITIES = {
    "Bologna": (44.494, 11.343), "Modena": (44.647, 10.925), "Parma": (44.801, 10.328),
    "Ferrara": (44.838, 11.620), "Rimini": (44.060, 12.566), "Ravenna": (44.418, 12.204),
    "Reggio Emilia": (44.698, 10.631), "Piacenza": (45.052, 9.693), "Forlì": (44.222, 12.041),
    "Cesena": (44.139, 12.243),
}  # fmt: skip
DIETS = ("vegetarian", "vegan", "halal", "kosher", "gluten_free", "lactose_free")
TERM = date(2027, 3, 1)


def _near(rng: random.Random, city: str, km: float) -> Point:
    lat, lon = CITIES[city]
    return Point(lat + rng.uniform(-km, km) / 111, lon + rng.uniform(-km, km) / 79)


def _languages(rng: random.Random, home: str) -> tuple[Language, ...]:
    found = [Language(home, 5)] if home else []
    for code in rng.sample(("en", "fr", "de", "es"), rng.randint(0, 2)):
        found.append(Language(code, rng.randint(0, 5)))
    return tuple(found)


def generate(learners: int, families: int, seed: int) -> Instance:
    rng = random.Random(seed)
    cities = list(CITIES)
    pool = []
    for i in range(families):
        city = rng.choice(cities)
        start = TERM + timedelta(days=rng.randint(0, 20))
        windows = [Window(start, start + timedelta(days=rng.randint(40, 100)))]
        pool.append(
            Family(
                id=f"f{i:05d}",
                city=city,
                rooms=rng.choice((1, 1, 1, 2, 2, 3)),
                available=tuple(windows),
                approved=rng.random() < 0.9,
                valid_until=TERM + timedelta(days=rng.randint(30, 400)),
                languages=_languages(rng, "it"),
                pets=frozenset(rng.sample(("cat", "dog"), rng.choice((0, 0, 1, 1, 2)))),
                smoking=rng.random() < 0.2,
                diets=frozenset(rng.sample(DIETS, rng.randint(0, 3))),
                children=rng.choice((0, 0, 1, 2)),
                location=_near(rng, city, 8),
                max_drive_km=rng.choice((5.0, 10.0, 20.0)),
            )
        )
    needs = []
    for i in range(learners):
        city = rng.choice(cities)
        start = TERM + timedelta(days=rng.randint(0, 70))
        needs.append(
            Need(
                id=f"m{i:05d}",
                city=city,
                starts_on=start,
                ends_on=start + timedelta(days=21),
                diet=frozenset(rng.sample(DIETS, rng.choice((0, 0, 0, 1)))),
                allergies=frozenset(rng.sample(("cats", "dogs"), rng.choice((0, 0, 0, 1)))),
                non_smoking=rng.random() < 0.5,
                languages=_languages(rng, rng.choice(("", "it"))),
                preferences=frozenset(rng.sample(("children", "no_pets"), rng.randint(0, 1))),
                placement=_near(rng, city, 5),
            )
        )
    bookings = tuple(
        Booking(f.id, f.available[0].first, f.available[0].first + timedelta(days=14))
        for f in rng.sample(pool, families // 20)
    )
    return Instance(tuple(needs), tuple(pool), bookings)


def check(instance: Instance, outcome: Outcome) -> None:
    """Stop the run unless every proposal passes the filters and no family is over."""
    needs = {n.id: n for n in instance.needs}
    families = {f.id: f for f in instance.families}
    booked = booked_load(instance.bookings)
    load = booked_load(instance.bookings)
    for p in outcome.proposals:
        n, f = needs[p.mobility_id], families[p.family_id]
        assert refusal(n, f, booked) is None, p
        taken = load.setdefault(f.id, Counter())
        taken.update(nights(n.starts_on, n.ends_on))
        assert max(taken.values()) <= f.rooms, (f.id, p)


def report(name: str, outcome: Outcome, seconds: float) -> None:
    placed = len(outcome.proposals)
    mean = sum(p.score for p in outcome.proposals) / placed / 1000 if placed else 0.0
    print(
        f"{name:<8} {seconds:7.2f} s  placed {placed:5d}  unmatched {len(outcome.unmatched):5d}"
        f"  mean score {mean:.3f}  objective {outcome.objective}"
        + (f"  optimal {outcome.optimal}" if name == "optimal" else "")
    )


def measure(learners: int, families: int, seed: int, budget: float) -> float:
    """One instance, both solvers; the optimal run's seconds."""
    base = generate(learners, families, seed)
    instance = Instance(base.needs, base.families, base.bookings, time_limit_s=budget)
    print(f"\n{learners} learners, {families} families, {len(base.bookings)} rooms booked")
    started, cpu = time.perf_counter(), time.process_time()
    optimal = solve(instance)
    solved_in, solved_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    greedy = solve_greedy(instance)
    greedy_in = time.perf_counter() - started
    check(instance, optimal)
    check(instance, greedy)
    print(f"candidate pairs (top {instance.top_k} per learner): {optimal.candidates}")
    report("optimal", optimal, solved_in)
    report("greedy", greedy, greedy_in)
    reasons: dict[str, int] = {}
    for _, reason in optimal.unmatched:
        reasons[reason] = reasons.get(reason, 0) + 1
    print("unmatched by reason (optimal):", dict(sorted(reasons.items())))
    print(f"score ratio (objective optimal / greedy): {optimal.objective / greedy.objective:.4f}")
    print(f"placed ratio: {len(optimal.proposals) / max(1, len(greedy.proposals)):.4f}")
    print(f"optimal run: {solved_in:.2f} s wall, {solved_cpu:.2f} s CPU")
    return solved_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--families", type=int, default=3000)
    parser.add_argument("--scarce", type=int, default=1000, help="families, second instance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=8.0, help="solver seconds in all")
    args = parser.parse_args()
    seconds = measure(args.learners, args.families, args.seed, args.budget)
    if args.scarce:
        measure(args.learners, args.scarce, args.seed, args.budget)
    met = "met" if seconds < 10 else "NOT met"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\ntarget (the {args.families}-family run under 10 s): {met}; load average {load}")


if __name__ == "__main__":
    main()
