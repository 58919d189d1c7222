"""Candidate generation for an import: 10,000 incoming persons against 100,000 stored ones.

The stored persons have made-up Kazakh and Russian names (common given names, surnames from
given names and from syllables, with their masculine and feminine suffixes). Half the incoming
persons are stored ones written another way (a transliteration, a case ending, Cyrillic script,
a typo, a shortened given name, the words in another order, a surname suffix more or less),
the other half are new. The real pairs of tests/data/name_variants.csv are planted too: each
`a` stored, each `b` incoming. Prints the time to build the index and to propose, proposals
per incoming person, and recall: the share of planted variants whose stored person is proposed
(or, when the two fold equal, linked).

    python -m bench.candidates [--stored 100000] [--incoming 10000]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from graph.candidates import NearNames, propose
from graph.search import fold
from schema.models import Node
from schema.vocabulary import NodeKind

VARIANTS = Path(__file__).parents[1] / "tests" / "data" / "name_variants.csv"
#: The proposing must take less than this on the 2-core reference machine.
BUDGET_S = 30.0

MALE = ("Askar", "Marat", "Nurlan", "Yerlan", "Serik", "Daniyar", "Kairat", "Bolat", "Aidos",
        "Yerzhan", "Zhanbolat", "Dulat", "Talgat", "Almas", "Arman", "Bakhyt", "Galym", "Murat",
        "Nursultan", "Rustem", "Sanzhar", "Timur", "Yerbol", "Zhandos", "Kanat", "Azamat",
        "Dauren", "Ruslan", "Igor", "Sergei", "Vladimir", "Aleksandr", "Dmitry", "Maksim",
        "Iskander", "Mukhtar", "Ablai", "Beibit", "Kuanysh", "Nurbek", "Olzhas", "Samat")
FEMALE = ("Aigerim", "Asel", "Botagoz", "Dinara", "Gulnara", "Zhanar", "Aliya", "Nataliya",
          "Raigul", "Bibigul", "Lyazzat", "Ainur", "Madina", "Saule", "Aizhan", "Karlygash",
          "Elena", "Olga", "Svetlana", "Tatiana", "Zhazira", "Nurgul", "Assel", "Dana")
SYLLABLES = ("ai", "bek", "dar", "gul", "zhan", "nur", "mar", "ser", "ka", "li", "tor", "yer",
             "bol", "san", "ras", "dy", "mu", "khan", "ta", "zi", "ol", "em", "ba", "sha", "tu",
             "kyz", "zhy", "lan", "sa", "dyk", "ab", "lya", "mam", "kal", "bai", "tem")
CYRILLIC = (("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("sh", "ш"), ("ch", "ч"), ("ts", "ц"),
            ("ya", "я"), ("yu", "ю"), ("ye", "е"), ("yo", "ё"), ("a", "а"), ("b", "б"),
            ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"),
            ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
            ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("q", "қ"))


def _surname_root(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(MALE)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def made_up_name(rng: random.Random) -> str:
    female = rng.random() < 0.45
    root = _surname_root(rng)
    if root[-1] in "aeiouy":
        root += "y"
    suffix = rng.choice(("ova", "yeva", "kyzy") if female else ("ov", "yev", "uly", "bayev"))
    return f"{rng.choice(FEMALE if female else MALE)} {root}{suffix}"


def to_cyrillic(text: str) -> str:
    out, i, low = [], 0, text.lower()
    while i < len(low):
        for latin, cyr in CYRILLIC:
            if low.startswith(latin, i):
                out.append(cyr.upper() if text[i].isupper() else cyr)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return rng.choice((word[:i] + word[i + 1] + word[i] + word[i + 2:], word[:i] + word[i + 1:],
                       word[:i] + rng.choice("aeiou") + word[i + 1:]))


def _shortened(given: str) -> str:
    """The given name's first four letters, five if the fourth starts a digraph ("Zhanar":
    "Zhan"; "Yerzhan": "Yerzh")."""
    cut = 5 if given[4:5] == "h" else 4
    return given[:cut] if len(given) > cut + 1 else given[:-1]


def _translit(rng: random.Random, given: str, surname: str) -> str:
    swaps = [("zh", "j"), ("kh", "h"), ("yev", "ev"), ("yer", "er"), ("ya", "ia"), ("y", "i"),
             ("ss", "s"), ("k", "q"), ("dy", "di")]
    rng.shuffle(swaps)
    for a, b in swaps:
        for word in (surname, given):
            if a in word.lower():
                return f"{given} {surname}".replace(word, word.replace(a, b).replace(
                    a.capitalize(), b.capitalize()))
    return f"{given} {surname[:-1]}"  # nothing to swap: drop a letter


def _ending(rng: random.Random, given: str, surname: str) -> str:
    if surname.endswith("a"):
        return f"{given} {surname[:-1]}oy"  # genitive of a feminine surname
    return f"{given}{rng.choice(('a', 'u'))} {surname}{rng.choice(('a', 'u', 'ym'))}"


VARIANT_MAKERS: dict[str, Callable[[random.Random, str, str], str]] = {
    "transliteration": _translit,
    "ending": _ending,
    "cyrillic": lambda rng, g, s: to_cyrillic(f"{g} {s}"),
    "typo": lambda rng, g, s: f"{g} {_typo(rng, s)}",
    "shortened": lambda rng, g, s: f"{_shortened(g)} {s}",
    "reordered": lambda rng, g, s: f"{s} {g}",
    "suffix": lambda rng, g, s: f"{g} {s[:-2] if s.endswith('ov') else s + 'ov'}",
}


def build(n_stored: int, n_incoming: int, seed: int = 7) -> tuple[
        list[Node], list[Node], dict[str, tuple[str, str]]]:
    """Stored and incoming persons, and for each planted incoming id: (stored id, variant kind)."""
    rng = random.Random(seed)
    stored = [Node(id=f"s-{i}", kind=NodeKind.PERSON, name=made_up_name(rng)) for i in range(n_stored)]
    planted: dict[str, tuple[str, str]] = {}
    incoming: list[Node] = []
    rows = list(csv.DictReader(VARIANTS.open(encoding="utf-8")))
    person = _same_person(rows)
    for i, row in enumerate(rows):
        # one stored person for each real person, under the first spelling seen
        stored_id = f"real-{person[fold(row['a'])]}"
        if not any(n.id == stored_id for n in stored[n_stored:]):
            stored.append(Node(id=stored_id, kind=NodeKind.PERSON, name=row["a"]))
        incoming.append(Node(id=f"real-b-{i}", kind=NodeKind.PERSON, name=row["b"]))
        planted[f"real-b-{i}"] = (stored_id, "real")
    kinds = list(VARIANT_MAKERS)
    while len(incoming) < n_incoming:
        i = len(incoming)
        if i % 2:
            incoming.append(Node(id=f"n-{i}", kind=NodeKind.PERSON, name=made_up_name(rng)))
            continue
        source = rng.choice(stored[:n_stored])
        given, surname = source.name.split()
        kind = kinds[i // 2 % len(kinds)]
        incoming.append(Node(id=f"v-{i}", kind=NodeKind.PERSON,
                             name=VARIANT_MAKERS[kind](rng, given, surname)))
        planted[f"v-{i}"] = (source.id, kind)
    return stored, incoming, planted


def _same_person(rows: list[dict[str, str]]) -> dict[str, int]:
    """Each folded spelling of the pairs, numbered by the person it writes (pairs chain:
    "Maks Bokayev" ~ "Maks Bokaev" ~ "Макс Бокаев")."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for row in rows:
        parent[root(fold(row["a"]))] = root(fold(row["b"]))
    roots: dict[str, int] = {}
    return {name: roots.setdefault(root(name), len(roots)) for name in list(parent)}


def run(n_stored: int, n_incoming: int) -> bool:
    stored, incoming, planted = build(n_stored, n_incoming)
    start = time.perf_counter()
    index = NearNames(stored)
    built = time.perf_counter() - start
    start = time.perf_counter()
    proposals = propose(incoming, index)
    proposing = time.perf_counter() - start
    # a planted variant is found when a stored person of its source's name is proposed: the
    # made-up names repeat, and nothing tells two stored persons of one name apart
    names = {node.id: fold(node.name) for node in stored}
    proposed = {(node.id, names[near.node_id]) for node, near in proposals}
    by_incoming = Counter(node.id for node, _ in proposals)
    linked = {node.id for node in incoming if index.exact(node.name, node.kind)}
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed_real = []
    for incoming_id, (stored_id, kind) in planted.items():
        total[kind] += 1
        hit = (incoming_id, names[stored_id]) in proposed or (
            incoming_id in linked and names[stored_id] == fold(_name(incoming, incoming_id)))
        found[kind] += hit
        if kind == "real" and not hit:
            missed_real.append(_name(incoming, incoming_id))
    print(f"\n== {len(stored):,} stored persons, {len(incoming):,} incoming ==")
    print(f"  index build      {built:6.2f} s")
    print(f"  propose          {proposing:6.2f} s  ({proposing / len(incoming) * 1e3:.2f} ms a person;"
          f" budget {BUDGET_S:.0f} s)")
    print(f"  proposals        {len(proposals):,}: {len(proposals) / len(incoming):.2f} per incoming "
          f"person, {len(by_incoming):,} persons with any; {len(linked):,} linked exactly")
    print(f"  comparisons      {index.comparisons:,} "
          f"({index.comparisons / (len(stored) * len(incoming)):.2e} of all pairs)")
    every = sum(found.values()) / sum(total.values())
    print(f"  recall           {every:.3f} of {sum(total.values()):,} planted variants")
    for kind in sorted(total):
        print(f"    {kind:<16} {found[kind] / total[kind]:.3f}  ({found[kind]}/{total[kind]})")
    print(f"  real pairs missed: {missed_real or 'none'}")
    missed = [(_name(incoming, i), _name(stored, s), kind) for i, (s, kind) in planted.items()
              if kind != "real" and (i, names[s]) not in proposed and i not in linked]
    print(f"  planted variants missed (first 10): {missed[:10]}")
    return proposing < BUDGET_S and found["real"] / total["real"] >= 0.95


def _name(nodes: list[Node], node_id: str) -> str:
    return next(n.name for n in nodes if n.id == node_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--incoming", type=int, default=10_000)
    args = parser.parse_args(argv)
    return 0 if run(args.stored, args.incoming) else 1


if __name__ == "__main__":
    raise SystemExit(main())
