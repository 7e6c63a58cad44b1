"""Hypothesis strategies for structurally plausible state machines with wrong values anywhere."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from mutate import FIELDS, ODD_NUMBERS, ODD_STRINGS, TYPES, odd_value

NAMES = st.one_of(st.sampled_from(["A", "B", "Done", "Fail", "Work", "Route"]),
                  st.text(min_size=1, max_size=6))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.sampled_from(ODD_NUMBERS), st.sampled_from(ODD_STRINGS),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
)
ODD = st.randoms(use_true_random=False).map(lambda rng: odd_value(rng))
VALUES = st.one_of(SCALARS, ODD, st.lists(SCALARS, max_size=3), st.dictionaries(st.sampled_from(FIELDS), SCALARS,
                                                                               max_size=3))


def _retriers() -> st.SearchStrategy:
    entry = st.fixed_dictionaries({"ErrorEquals": st.one_of(st.lists(st.sampled_from(
        ["States.ALL", "States.Timeout", "States.TaskFailed", "Custom", "States.Bogus"]), max_size=3), VALUES)},
        optional={"MaxAttempts": VALUES, "IntervalSeconds": VALUES, "BackoffRate": VALUES, "Next": NAMES})
    return st.one_of(st.lists(entry, max_size=3), VALUES)


@st.composite
def definitions(draw, depth: int = 0) -> dict:
    names = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
    targets = st.one_of(st.sampled_from(names), NAMES, VALUES)
    states = {}
    for name in names:
        state: dict = {"Type": draw(st.one_of(st.sampled_from(TYPES), VALUES))}
        if draw(st.booleans()):
            state["Next"] = draw(targets)
        else:
            state["End"] = draw(st.one_of(st.just(True), VALUES))
        for field in draw(st.lists(st.sampled_from(FIELDS), max_size=5, unique=True)):
            state[field] = draw(VALUES)
        if state["Type"] in ("Task", "Parallel", "Map") and draw(st.booleans()):
            state["Retry"], state["Catch"] = draw(_retriers()), draw(_retriers())
        if state["Type"] == "Task":
            state["Resource"] = draw(st.one_of(st.sampled_from(ODD_STRINGS), VALUES))
        if state["Type"] == "Choice":
            rule = st.fixed_dictionaries({"Next": targets}, optional={
                "Variable": st.sampled_from(["$.a", "$x", "$$", "bad"]), "StringEquals": VALUES,
                "And": st.lists(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=2), max_size=2),
                "Not": st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=2), "Condition": VALUES})
            state["Choices"] = draw(st.one_of(st.lists(rule, max_size=3), VALUES))
            state["Default"] = draw(targets)
        if depth < 3 and state["Type"] == "Parallel":
            state["Branches"] = draw(st.one_of(st.lists(definitions(depth + 1), min_size=1, max_size=2), VALUES))
        if depth < 3 and state["Type"] == "Map":
            processor = definitions(depth + 1).map(lambda d: {**d, "ProcessorConfig": {"Mode": "DISTRIBUTED"}})
            state["ItemProcessor"] = draw(st.one_of(definitions(depth + 1), processor, VALUES))
        states[name] = state
    top: dict = {"StartAt": draw(targets), "States": states}
    if draw(st.booleans()):
        top["QueryLanguage"] = draw(st.one_of(st.sampled_from(["JSONata", "JSONPath"]), VALUES))
    return top


def hosted(definition: dict, seed: int) -> tuple[str, str]:
    from mutate import as_host_file

    return as_host_file(definition, random.Random(seed))
