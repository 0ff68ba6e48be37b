"""Schemathesis hooks for scripts/fuzz-api: point generated ids at rows that exist.

Ids generated from the document's patterns almost never name a seeded member, item or question, so
without these hooks every operation with an id in its path would only ever see 404. Here the fuzzing
phase's path parameters (and a few query parameters) are drawn either as generated or from the seeded
rows, which scripts/fuzz-api passes in $POLLEN_FUZZ_IDS. It goes through Hypothesis strategies, so the
choice follows the run's seed and stays reproducible.
"""

from __future__ import annotations

import json
import os

import schemathesis
from hypothesis import strategies as st

IDS: dict[str, list] = json.loads(os.environ.get("POLLEN_FUZZ_IDS", "{}"))
PREFIX = "/api/pollen/v1"


def _pool(path: str, method: str, name: str) -> list:
    """The seeded values for one path parameter of one operation (empty: keep what was generated)."""
    if name in ("handle", "tag", "slug", "number", "target"):
        return IDS.get(name, [])
    if name != "id":
        return []
    section = path.removeprefix(PREFIX).split("/")[1]
    # Deleting gets rows of its own, so the seeded content lasts for the other operations.
    deleting = method.upper() == "DELETE" and path.endswith("{id}")
    pools = {
        "admin": "member",
        "suggestions": "member",
        "collections": "collection_spare" if deleting else "collection",
        "items": "item_spare" if deleting else "item",
        "comments": "comment_spare",
        "questions": "question",
        "answers": "answer",
        "stories": "story",
    }
    return IDS.get(pools.get(section, ""), [])


def _either(generated: dict, seeded: dict) -> st.SearchStrategy:
    if not seeded:
        return st.just(generated)
    replaced = st.fixed_dictionaries({name: st.sampled_from(values) for name, values in seeded.items()})
    # Mostly seeded rows (the interesting paths), sometimes the generated values (the 404 and 422 paths).
    return st.one_of(st.just(generated), replaced.map(lambda values: {**generated, **values}),
                     replaced.map(lambda values: {**generated, **values}))


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    operation = context.operation
    seeded = {name: pool for name in path_parameters
              if (pool := _pool(operation.path, operation.method, name))}
    return _either(path_parameters, {name: [str(v) if name != "number" else v for v in pool]
                                     for name, pool in seeded.items()})


QUERY_POOLS = {"community": "slug", "owner": "handle", "tag": "tag", "subject": "tag"}


@schemathesis.hook
def flatmap_query(context, query):
    if not query:
        return st.just(query)
    seeded = {name: IDS[QUERY_POOLS[name]] for name in query if name in QUERY_POOLS and IDS.get(QUERY_POOLS[name])}
    return _either(query, seeded)
