"""Hypothesis strategies for settings files: documents built from the real sections and keys
with wrong (or right) values, raw bytes, nesting bombs, NUL bytes.  Bounded for CI; KASSA_SOAK=1
tries many more."""

from __future__ import annotations

import json
import math
import os

from hypothesis import strategies as st

from shell.settings import Settings, SyncSettings

SOAK = bool(os.environ.get("KASSA_SOAK"))
EXAMPLES = 3000 if SOAK else 150
CLI_RUNS = 40 if SOAK else 2  # kassa processes, each checking 25 files
MINIMAL = '[store]\nstore_id = "S1"\nname = "Shop"\n'
SECTIONS = {name: list(field.annotation.model_fields) if hasattr(field.annotation, "model_fields") else []
            for name, field in Settings.model_fields.items()}
SECTIONS["sync"] = list(SyncSettings.model_fields)  # optional section: its annotation is a union


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # its escapes are TOML basic-string escapes
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


scalars = st.one_of(
    st.booleans(),
    st.integers(), st.integers(-10**200, 10**200), st.sampled_from([0, -1, 10**4000, 2**63, -(2**63) - 1]),
    st.floats(), st.sampled_from([float("nan"), float("inf"), 1e-300, 0.1, 0.3, 1e308]),
    st.text(max_size=30), st.text(st.characters(codec="utf-8"), max_size=5).map(lambda t: t + "\x00"),
    st.sampled_from(["", "0.10", "0.3", "1e-999999", "1E+999999999", "NaN", "/", "/tmp", "a\x00b", "\x7f",
                     "network:h:²", "usb:0_4b8:0202", "serial:/dev/ttyUSB0:" + "9" * 5000, "x" * 10000,
                     "https://hub.example", "Europe/Kyiv", "uk_UA", "UAH",
                     "auto", "keyring", "file", "KQ7M-4XPD-93HF", "kq7m 4xpd", "ABC", "A" * 41]),  # [sync] store, code
    st.sampled_from([1, 60, 10080, 10081, 48, 8760, 8761]),  # [offline] bounds
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                          max_size=3), max_leaves=6)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, set[str]]:
    """A TOML document of real sections and keys, some with wrong values; and the keys set."""
    lines, keys = [MINIMAL], set()
    chosen_sections = draw(st.lists(st.sampled_from(sorted(SECTIONS)), max_size=3, unique=True))
    for section in sorted(chosen_sections, key=lambda name: name != "store"):  # [store]'s keys follow MINIMAL
        known = SECTIONS[section]
        chosen = draw(st.lists(st.sampled_from(known) | st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
                               max_size=4, unique=True)) if known else []
        if section == "sync" and "hub_url" not in chosen:
            chosen.append("hub_url")
        lines.append(f"[{section}]" if section != "store" else "")
        for key in chosen:
            if section == "store" and key in ("store_id", "name"):
                continue
            keys.add(key)
            lines.append(f"{key} = {toml_value(draw(values))}")
        keys.add(section)
    return "\n".join(lines) + "\n", keys


def nesting_bomb(depth: int, kind: str) -> str:
    if kind == "array":
        return MINIMAL + "x = " + "[" * depth + "]" * depth + "\n"
    if kind == "inline":
        return MINIMAL + "x = " + "{a = " * depth + "1" + "}" * depth + "\n"
    if kind == "lines":  # one bracket a line: no line is long
        return MINIMAL + "x = " + "[\n" * depth + "]\n" * depth
    return MINIMAL + "[" + ".".join(["a"] * depth) + "]\n"  # dotted table names


bombs = st.builds(nesting_bomb, st.integers(1, 50_000), st.sampled_from(["array", "inline", "dotted", "lines"]))
raw_files = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda at, junk: (MINIMAL.encode() + b"[till]\ncash_rounding = \"0.10\"\n")[:at] + junk,
              st.integers(0, 80), st.binary(min_size=1, max_size=8)),
    st.builds(lambda at: MINIMAL.encode()[:at] + b"\x00" + MINIMAL.encode()[at:], st.integers(0, len(MINIMAL))),
)
