"""Fuzzing `check`, `feed` and `email` together: random front matter (YAML, TOML, JSON or
any text), bodies and file names (control characters, bytes that are not UTF-8).

Whatever the input, each command ends within seconds with exit 0 or 1, never a
traceback or an internal error; nothing printed holds a control character but the
line break; and what `check` passes, `feed` and `email` publish.

The default budget is modest (a few seconds per test); `PUBLISHER_FUZZ=nightly` runs
thousands of examples (`PUBLISHER_FUZZ_EXAMPLES=N` any number).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.cli import main

from .conftest import BASE_CONFIG, NOW

EXAMPLES = int(os.environ.get("PUBLISHER_FUZZ_EXAMPLES") or (
    2000 if os.environ.get("PUBLISHER_FUZZ") == "nightly" else 20))
# The default budget runs the same examples every time (CI must not turn red by luck);
# the nightly and PUBLISHER_FUZZ_EXAMPLES runs explore anew.
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                derandomize=EXAMPLES == 20 and not os.environ.get("PUBLISHER_FUZZ_EXAMPLES"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SECONDS = 10  # every input answered within this, on this project's 2-core machines
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

KEYS = ["title", "date", "tags", "series", "id", "image", "author", "permalink", "slug",
        "draft", "excerpt", "categories", "header", "modified"]
TEXT = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["\x1b]0;x\x07", "a\nb", "\x9b31m", "%2e%2e/", "../../x", "C#", "C++", "<plaintext>",
     "\u202e", "9" * 5000, "2024-02-30", "2024-03-02", "https://e.org/\x01"])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10)
FIELDS = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), VALUES, max_size=6)
BODIES = st.lists(TEXT | st.sampled_from(["{{ page.title }}", "{% include x %}", "<!--more-->",
                                          "```", "[a](../b)", "<script>x</script>", "{{"]),
                  max_size=8).map("\n".join)
NAMES = (st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1,
                 max_size=16).map(lambda s: os.fsencode(s + ".md"))
         | st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b)
         .map(lambda b: b + b".md"))


def header(kind: str, fields: dict, raw: str) -> str | None:
    try:
        if kind == "yaml":
            return f"---\n{yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)}---\n"
        if kind == "json":
            return "{\n" + json.dumps(fields, ensure_ascii=False)[1:-1] + "\n}\n"
        if kind == "toml":  # JSON's strings, numbers and booleans are TOML's too
            lines = [f"{json.dumps(str(k))} = {json.dumps(_toml_value(v), ensure_ascii=False)}"
                     for k, v in fields.items()]
            return "+++\n" + "\n".join(lines) + "\n+++\n"
    except (yaml.YAMLError, ValueError):
        return None
    return f"---\n{raw}\n---\n"


def _toml_value(value: object) -> object:
    return value if isinstance(value, (str, bool, int)) else str(value)


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang(f"no answer within {SECONDS} s")


def run(root: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(cwd)
    printed = out.getvalue() + err.getvalue()
    assert "Traceback" not in printed and "internal error" not in printed, (args, printed)
    assert code in (0, 1), (args, printed)
    assert CONTROL.search(printed) is None, (args, printed)
    return code, printed


@FUZZ
@given(kind=st.sampled_from(["yaml", "json", "toml", "raw"]), fields=FIELDS,
       raw=st.text(max_size=80), body=BODIES, name=NAMES)
def test_check_feed_and_email_answer_anything(kind: str, fields: dict, raw: str, body: str,
                                              name: bytes) -> None:
    text = header(kind, fields, raw)
    if text is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # A newsletter that may be drafted: an unsubscribe link and a postal address.
        (root / "publisher.toml").write_text(
            BASE_CONFIG + '[email]\nto = "l@example.org"\nseries_fallback = "default"\n'
            'unsubscribe_url = "https://example.org/unsubscribe"\n'
            'address = "1 Example Street, Springfield"\n')
        (root / "posts").mkdir()
        (root / "posts" / "2024-01-01-plain.md").write_text("---\ntitle: Plain\n---\nText\n")
        try:
            with open(os.fsencode(root / "posts") + b"/" + name, "wb") as handle:
                handle.write((text + body).encode("utf-8", "surrogatepass"))
        except OSError:
            return  # a name this file system refuses (too long...)
        checked, report = run(root, "check")
        fed, _ = run(root, "feed", "--now", NOW)
        mailed, _ = run(root, "email", "--now", NOW)
        if checked == 0:  # what check passes, the others publish
            assert (fed, mailed) == (0, 0), report
        else:
            assert fed == 1 and mailed == 1, report
