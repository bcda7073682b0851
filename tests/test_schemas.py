"""The vendored schemas are the published ones, byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from .conftest import ATOM_SCHEMA, SHARED

ATOM_SHA256 = "08fd84beb9b522104fc7825b91fad86e270963907c2ffd4c243ee18a509dd05a"


def test_the_atom_schema_is_rfc_4287_appendix_b() -> None:
    data = ATOM_SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == ATOM_SHA256
    assert data.startswith(b"# -*- rnc -*-") and data.rstrip().endswith(b"# EOF")
    assert ATOM_SHA256 in (ATOM_SCHEMA.parent / "README.md").read_text()


def test_the_atom_schema_matches_the_shared_copy() -> None:
    shared = SHARED / "schemas" / "atom.rnc"
    if not shared.is_file():
        pytest.skip(f"no {shared}: ../shared/ is not beside this clone")
    assert shared.read_bytes() == ATOM_SCHEMA.read_bytes()
