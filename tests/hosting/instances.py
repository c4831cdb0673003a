"""Small host-matching instances for the rule tests, and the brute-force optimum."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta

from hypothesis import strategies as st

from app.hosting.rules.filters import booked_load, refusal
from app.hosting.rules.scoring import breakdown, score, weight
from app.hosting.rules.types import (
    Booking,
    Family,
    Instance,
    Language,
    Need,
    Proposal,
    Window,
    nights,
)

DAY0 = date(2027, 3, 1)
DIETS = ("vegetarian", "halal", "gluten_free")
PETS = ("cat", "dog")


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def family(id_: str, rooms: int = 1, **kw: object) -> Family:
    base: dict[str, object] = {
        "id": id_,
        "city": "Bologna",
        "rooms": rooms,
        "available": (Window(day(0), day(60)),),
        "languages": (Language("it", 5), Language("en", 2)),
    }
    return Family(**(base | kw))  # type: ignore[arg-type]


def need(id_: str, start: int = 0, length: int = 21, **kw: object) -> Need:
    base: dict[str, object] = {
        "id": id_,
        "city": "Bologna",
        "starts_on": day(start),
        "ends_on": day(start + length),
    }
    return Need(**(base | kw))  # type: ignore[arg-type]


def brute_force(instance: Instance) -> int:
    """The best total weight over every assignment that passes the filters and the rooms."""
    load = booked_load(instance.bookings)
    rooms = {f.id: f.rooms for f in instance.families}
    options = []
    for n in instance.needs:
        fits = [f for f in instance.families if refusal(n, f, load, instance.declined) is None]
        options.append([None, *fits])
    best = 0
    for choice in itertools.product(*options):
        used: dict[str, Counter[int]] = {k: Counter(v) for k, v in load.items()}
        total, ok = 0, True
        for n, f in zip(instance.needs, choice, strict=True):
            if f is None:
                continue
            taken = used.setdefault(f.id, Counter())
            taken.update(nights(n.starts_on, n.ends_on))
            if any(v > rooms[f.id] for v in taken.values()):
                ok = False
                break
            total += weight(score(breakdown(n, f)))
        if ok:
            best = max(best, total)
    return best


def over_rooms(instance: Instance, proposals: list[Proposal]) -> list[str]:
    """(family, night) where the booked and proposed stays exceed the rooms."""
    load = booked_load(instance.bookings)
    stays = {n.id: n for n in instance.needs}
    for p in proposals:
        n = stays[p.mobility_id]
        load.setdefault(p.family_id, Counter()).update(nights(n.starts_on, n.ends_on))
    rooms = {f.id: f.rooms for f in instance.families}
    return [f"{f}@{night}" for f, c in load.items() for night, v in c.items() if v > rooms[f]]


langs = st.lists(
    st.builds(Language, st.sampled_from(("en", "it", "fr")), st.integers(0, 5)),
    max_size=2,
    unique_by=lambda lang: lang.code,
).map(tuple)
subset = st.frozensets


@st.composite
def instances(draw: st.DrawFn, max_needs: int = 5, max_families: int = 3) -> Instance:
    families = []
    for i in range(draw(st.integers(1, max_families))):
        first = draw(st.integers(0, 10))
        families.append(
            family(
                f"f{i}",
                rooms=draw(st.integers(1, 2)),
                available=(Window(day(first), day(first + draw(st.integers(5, 50)))),),
                approved=draw(st.integers(0, 3)) > 0,
                valid_until=draw(st.none() | st.just(day(30))),
                languages=draw(langs),
                pets=draw(subset(st.sampled_from(PETS))),
                smoking=draw(st.booleans()),
                diets=draw(subset(st.sampled_from(DIETS))),
                children=draw(st.integers(0, 2)),
                city=draw(st.sampled_from(("Bologna", "Bologna", "Modena"))),
            )
        )
    needs = []
    for i in range(draw(st.integers(1, max_needs))):
        needs.append(
            need(
                f"m{i}",
                start=draw(st.integers(0, 20)),
                length=draw(st.integers(1, 21)),
                diet=draw(subset(st.sampled_from(DIETS), max_size=1)),
                allergies=draw(subset(st.sampled_from(("cats", "dogs")), max_size=1)),
                non_smoking=draw(st.booleans()),
                languages=draw(langs),
                preferences=draw(subset(st.sampled_from(("children", "no_pets")), max_size=1)),
            )
        )
    bookings = tuple(
        Booking(f.id, day(s), day(s + 7))
        for f in families
        for s in draw(st.lists(st.integers(0, 30), max_size=1))
    )
    declined = frozenset(
        (n.id, f.id) for n in needs for f in families if draw(st.integers(0, 9)) == 0
    )
    return Instance(tuple(needs), tuple(families), bookings, declined)
