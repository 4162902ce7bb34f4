"""Fixture: `teacher(*args)` starts a misbehaving local teacher (see distill_helpers.Teacher)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `distill_helpers`, whatever pytest's import mode

from distill_helpers import Teacher


@pytest.fixture
def teacher(tmp_path):
    started: list[Teacher] = []

    def make(*args: str, env: dict | None = None) -> Teacher:
        t = Teacher(tmp_path, list(args), env)
        started.append(t)
        return t

    yield make
    for t in started:
        t.kill()

