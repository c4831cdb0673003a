"""Groups of three or four classes, one per country, of greatest total score.

`solve_groups` chooses disjoint groups of exactly `group_size` classes from different countries,
every two members compatible (`pair_weight` holds the compatible pairs) and the group accepted
by `group_ok`, maximising the sum of the group scores. It is a weighted set packing problem:

- Small instances (at most `exact_limit` candidate groups, i.e. cliques of the pair graph with
  distinct countries): every candidate is checked, the heuristic below runs on half the time
  left, and CP-SAT solves the packing over all candidates from that start; its best bound
  proves the optimum (`exact=True`) or bounds the gap. Checking gives up (and the heuristic
  takes over) when it has used 60% of the budget.
- Otherwise: a greedy construction (best pairs first, each extended by the compatible class of
  a new country that scores best with the members), local search (a leftover class replaces a
  member; two groups swap members; leftovers form new groups) and large-neighbourhood search: a
  few neighbouring groups and the free classes best connected to them are taken out, all their
  candidate groups enumerated and the packing re-solved exactly with CP-SAT, kept when better;
  the regions grow when re-solving stops paying.

`group_ok` is called at most once per candidate (results are cached) and only on cliques of the
pair graph; the search ranks moves by the mean pair weight of the members, which is the group
score of `compatibility.group_check` (the results do not depend on that, the speed does).
Classes left out of every group are paired by `solve_pairs`.

Pure: the caller injects the clock (`clock=time.monotonic`); without one the search runs a
fixed number of rounds and CP-SAT a deterministic time limit, so results are reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.matching.rules.group_search import GroupCheck, GroupSearch
from app.matching.rules.packing import Budget, Members, pack, pair_mean_bound, sat_solver
from app.matching.rules.pairs import PairResult, solve_pairs

EXACT_LIMIT = 200_000
_DEFAULT_ROUNDS = 60  # neighbourhood re-solves without a clock
_STALE_STEP = 40  # fruitless re-solves before the regions grow
_MAX_SCALE = 3
_HEURISTIC_SHARE = 0.5  # of the time left after the checks, on the exact path
_LOCAL_SHARE = 0.3  # of the heuristic's time, at most, for the first local search


@dataclass(frozen=True)
class GroupResult:
    """`groups`: `(members sorted, score)`, sorted; `objective`: the sum of their scores.

    `pairs` pairs the classes left out of every group. `best_bound` bounds the best objective
    (CP-SAT's bound on the exact path, or `pair_mean_bound` when the caller vouches for it),
    `gap = (best_bound - objective) / best_bound`; `exact` means the objective is proven optimal.
    """

    groups: list[tuple[tuple[str, ...], int]]
    pairs: PairResult
    objective: int
    best_bound: float | None
    gap: float | None
    exact: bool
    evaluations: int = 0  # calls to group_ok


def _exact(
    search: GroupSearch,
    candidates: list[Members],
    budget: Budget,
    deterministic: bool,
    workers: int,
) -> tuple[bool, float] | None:
    """Check every candidate and pack them all with CP-SAT; None if the checks take too long."""
    feasible: list[tuple[Members, int]] = []
    for at, members in enumerate(candidates):
        if at % 64 == 0 and budget.used_share() > 0.6:
            return None
        score = search.score(members)
        if score is not None and score > 0:
            feasible.append((members, score))
    first = Budget(budget.remaining() * _HEURISTIC_SHARE, budget.clock)
    _heuristic(search, first, deterministic, None if budget.clock else _DEFAULT_ROUNDS // 2)
    hint = list(search.groups.values())
    solver = sat_solver(budget.remaining(), deterministic, workers)
    picked, bound, optimal = pack(feasible, [m for m, _ in hint], solver)
    if sum(s for _, s in picked) > sum(s for _, s in hint):
        for gid in list(search.groups):
            search.remove(gid)
        for members, score in picked:
            search.add(members, score)
    return optimal, max(bound, float(search.total()))


def _heuristic(
    search: GroupSearch, budget: Budget, deterministic: bool, max_rounds: int | None
) -> None:
    search.construct()
    search.local_search(Budget(budget.remaining() * _LOCAL_SHARE, budget.clock))
    rounds = max_rounds if max_rounds is not None or not deterministic else _DEFAULT_ROUNDS
    done = stale = 0
    while not budget.expired() and (rounds is None or done < rounds):
        done += 1
        scale = 1 + stale // _STALE_STEP  # regions grow while they bring nothing
        if scale > _MAX_SCALE:
            break
        made = search.neighbourhood(budget, deterministic, scale)
        if made:
            stale = 0
            search.local_search(budget, made)
        else:
            stale += 1


def solve_groups(
    nodes: Sequence[str],
    countries: Mapping[str, str],
    pair_weight: Mapping[tuple[str, str], int],
    group_size: int,
    group_ok: GroupCheck,
    time_budget_s: float,
    seed: int,
    *,
    clock: Callable[[], float] | None = None,
    exact_limit: int = EXACT_LIMIT,
    max_rounds: int | None = None,
    workers: int = 1,
    scores_are_pair_means: bool = False,
) -> GroupResult:
    """Disjoint groups of `group_size` classes (3 or 4), one per country, of greatest total score.

    `pair_weight` maps compatible cross-country pairs `(a, b)` to their weight 0..1000;
    `group_ok(members)` (members sorted) gives a group's score 0..1000 or None when it cannot
    work. `clock` (e.g. `time.monotonic`) enforces `time_budget_s`; without it the search makes
    `max_rounds` neighbourhood re-solves (default 60) and CP-SAT stops on a deterministic time
    limit. `exact_limit`: the most candidate groups for the exact model (0: never exact).
    `scores_are_pair_means` adds `pair_mean_bound` as a bound. Deterministic for a given `seed`
    when no clock is given (and `workers` is 1). Groups scoring 0 are never formed.
    """
    names, weight = _checked(nodes, countries, pair_weight, group_size)
    budget = Budget(time_budget_s, clock)
    deterministic = clock is None
    search = GroupSearch(
        names,
        [countries[name] for name in names],
        weight,
        group_size,
        group_ok,
        random.Random(seed),  # noqa: S311 - search order, not secrets
    )
    extra: float | None = None
    if scores_are_pair_means:
        by_name = {(names[i], names[j]): value for (i, j), value in weight.items()}
        extra = pair_mean_bound(by_name, group_size)
    exact, bound = False, extra
    candidates = search.cliques(range(len(names)), exact_limit) if exact_limit > 0 else None
    solved = _exact(search, candidates, budget, deterministic, workers) if candidates else None
    if candidates == []:
        exact, bound = True, 0.0
    elif solved is not None:
        exact, bound = solved[0], solved[1] if extra is None else min(solved[1], extra)
    else:
        _heuristic(search, budget, deterministic, max_rounds)
    return _result(search, names, weight, exact=exact, bound=bound)


def _checked(
    nodes: Sequence[str],
    countries: Mapping[str, str],
    pair_weight: Mapping[tuple[str, str], int],
    group_size: int,
) -> tuple[list[str], dict[tuple[int, int], int]]:
    """The input checked: the sorted names, and the weights by index pair `(low, high)`."""
    if group_size not in (3, 4):
        raise ValueError("groups have 3 or 4 classes")
    names = sorted(set(nodes))
    if len(names) != len(nodes):
        raise ValueError("nodes must be distinct")
    if missing := [name for name in names if name not in countries]:
        raise ValueError(f"no country for {missing[0]!r}")
    index = {name: i for i, name in enumerate(names)}
    weight: dict[tuple[int, int], int] = {}
    for (x, y), value in pair_weight.items():
        if x not in index or y not in index or countries[x] == countries[y]:
            raise ValueError(f"({x!r}, {y!r}) is not a pair of known classes of two countries")
        if not isinstance(value, int) or not 0 <= value <= 1000:
            raise ValueError(f"pair weights are integers 0..1000, not {value!r}")
        key = (min(index[x], index[y]), max(index[x], index[y]))
        weight[key] = max(value, weight.get(key, value))
    return names, weight


def _result(
    search: GroupSearch,
    names: list[str],
    weight: dict[tuple[int, int], int],
    *,
    exact: bool,
    bound: float | None,
) -> GroupResult:
    """The groups found, and the best pairs among the classes left over."""
    groups = sorted(
        (tuple(names[i] for i in members), score) for members, score in search.groups.values()
    )
    objective = sum(score for _, score in groups)
    leftovers = [names[i] for i in range(len(names)) if search.owner[i] < 0]
    edges = [
        (names[i], names[j], value)
        for (i, j), value in weight.items()
        if search.owner[i] < 0 and search.owner[j] < 0
    ]
    gap = None if bound is None else (bound - objective) / bound if bound > 0 else 0.0
    return GroupResult(
        groups=groups,
        pairs=solve_pairs(leftovers, edges),
        objective=objective,
        best_bound=bound,
        gap=gap,
        exact=exact,
        evaluations=len(search.cache),
    )
