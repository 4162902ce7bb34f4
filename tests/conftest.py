"""The test suite runs from the checkout, with the project's licensed data sets in ../shared/data beside it
(the package itself never looks for them; training and development code take the folder explicitly)."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `sftp_server`, whatever pytest's import mode

os.environ.setdefault("WENFORGE_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture
def verdicts(monkeypatch):
    """`values.response.response_verdict` replaced by a rule on the refusal cues (a refusal is refusal or
    over_refusal by the prompt's risk; any other answer to a risky prompt is unsafe); returns the calls."""
    from wenforge.values import response
    from wenforge.values.refusal import find_refusal

    calls: list[dict] = []

    def stand_in(prompt: str, text: str, *, prompt_risky: bool, model=None) -> dict:
        calls.append({"prompt": prompt, "response": text, "prompt_risky": prompt_risky})
        ref = find_refusal(text)
        if ref.is_refusal:
            verdict = "refusal" if prompt_risky else "over_refusal"
        else:
            verdict = "unsafe" if prompt_risky else "safe"
        return {"verdict": verdict, "response_risk": float(verdict == "unsafe"), "refusal": ref.kind,
                "spans": ref.spans, "reason": "stand-in"}

    monkeypatch.setattr(response, "response_verdict", stand_in)
    return calls


@pytest.fixture
def everything_profile(tmp_path, monkeypatch):
    """A deployment profile (a user file merged over the shipped ones) under which every prompt must be refused."""
    path = tmp_path / "profiles.yaml"
    path.write_text("profiles:\n  everything:\n    refuse_at: 0.0\n", encoding="utf-8")
    monkeypatch.setenv("WENFORGE_VALUES_PROFILES", str(path))
    return "everything"


@pytest.fixture
def sftp(tmp_path, monkeypatch):
    """A real SFTP server on 127.0.0.1 over tmp_path/"served", in its own process (tests/sftp_server.py); the password reaches
    fsspec through its config here and through FSSPEC_SFTP_PASSWORD in subprocesses."""
    import fsspec.config

    from sftp_server import serve_in_process

    root = tmp_path / "served"
    root.mkdir()
    with serve_in_process(root) as server:
        for k, v in server.env.items():
            monkeypatch.setenv(k, v)
        monkeypatch.setitem(fsspec.config.conf, "sftp", {"password": server.env["FSSPEC_SFTP_PASSWORD"]})
        yield server
