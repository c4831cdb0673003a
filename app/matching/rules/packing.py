"""Building blocks of the group search: the time budget, CP-SAT set packing, a pair bound.

Pure: the clock is whatever the caller injects (see `Budget`); CP-SAT gets its time limit as a
parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

Members = tuple[int, ...]


class Budget:
    """`seconds` measured on the injected `clock`; without a clock it never runs out."""

    def __init__(self, seconds: float, clock: Callable[[], float] | None) -> None:
        self.seconds, self.clock = seconds, clock
        self.start = clock() if clock is not None else 0.0

    def remaining(self) -> float:
        if self.clock is None:
            return self.seconds
        return max(0.0, self.seconds - (self.clock() - self.start))

    def used_share(self) -> float:
        return 1.0 - self.remaining() / self.seconds if self.seconds > 0 else 1.0

    def expired(self) -> bool:
        return self.clock is not None and self.remaining() <= 0.0


def sat_solver(seconds: float, deterministic: bool, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    if deterministic:
        solver.parameters.max_deterministic_time = max(seconds, 0.01)
    else:
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = workers
    return solver


def pack(
    candidates: Sequence[tuple[Members, int]],
    hint: Iterable[Members],
    solver: cp_model.CpSolver,
) -> tuple[list[tuple[Members, int]], float, bool]:
    """Best disjoint subset of `candidates` by CP-SAT: (chosen, best bound, proven optimal)."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"g{i}") for i in range(len(candidates))]
    by_class: dict[int, list[cp_model.IntVar]] = {}
    for var, (members, _) in zip(chosen, candidates, strict=True):
        for member in members:
            by_class.setdefault(member, []).append(var)
    for variables in by_class.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    model.maximize(sum(score * var for var, (_, score) in zip(chosen, candidates, strict=True)))
    hinted = set(hint)
    for var, (members, _) in zip(chosen, candidates, strict=True):
        model.add_hint(var, members in hinted)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], float(sum(max(s, 0) for _, s in candidates)), False
    picked = [c for var, c in zip(chosen, candidates, strict=True) if solver.value(var)]
    return picked, float(solver.best_objective_bound), status == cp_model.OPTIMAL


def pair_mean_bound(pair_weight: Mapping[tuple[str, str], int], group_size: int) -> float:
    """An upper bound on the objective when every group scores at most the mean of its member
    pairs' weights rounded half up (as `compatibility.group_check` scores them).

    The pairs inside disjoint groups of k form a subgraph where every class has degree k - 1,
    and a group's score is at most (sum of its C(k, 2) pair weights) / C(k, 2) + 1/2. So the
    objective is at most (the best fractional (k-1)-matching) / C(k, 2) + (groups) / 2. The
    fractional b-matching is solved as a min-cost flow on the bipartite double cover (each edge
    an arc both ways, capacity 1; each class b on either side), whose optimum is twice it.
    """
    names = sorted({name for key in pair_weight for name in key})
    if not names:
        return 0.0
    index = {name: i for i, name in enumerate(names)}
    n, b = len(names), group_size - 1
    source, sink = 2 * n, 2 * n + 1
    tails: list[int] = [source] * n + [n + i for i in range(n)] + [source]
    heads: list[int] = list(range(n)) + [sink] * n + [sink]
    caps: list[int] = [b] * (2 * n) + [b * n]
    costs: list[int] = [0] * (2 * n + 1)
    for (x, y), weight in pair_weight.items():
        i, j = index[x], index[y]
        tails += [i, j]
        heads += [n + j, n + i]
        caps += [1, 1]
        costs += [-weight, -weight]
    flow = min_cost_flow.SimpleMinCostFlow()
    for tail, head, cap, cost in zip(tails, heads, caps, costs, strict=True):
        flow.add_arc_with_capacity_and_unit_cost(tail, head, cap, cost)
    flow.set_node_supply(source, b * n)
    flow.set_node_supply(sink, -b * n)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the flow bound did not solve")
    pairs_per_group = group_size * (group_size - 1) // 2
    most_groups = n // group_size
    bound = -int(flow.optimal_cost()) / 2 / pairs_per_group + most_groups / 2
    return min(bound, 1000.0 * most_groups)
