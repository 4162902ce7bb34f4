"""`wenforge demo` end to end: every act runs and the one report shows each capability's results, escaped."""

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from wenforge.cli import app

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft"))


@pytest.mark.skipif(not HEAVY, reason="the demo's model acts need the `train` extra")
def test_demo_runs_every_act_and_reports_them(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--output", str(out)])
    assert result.exit_code == 0, result.output
    acts = {a["name"]: a for a in json.loads((out / "demo.json").read_text())}
    assert set(acts) == {"pipeline", "mix", "forge", "eval", "distill", "style"}
    assert all(a["status"] == "ok" for a in acts.values()), acts
    assert acts["pipeline"]["summary"]["conserved"] is True
    html = (out / "report.html").read_text(encoding="utf-8")
    for section in ("Adversarial cleaning", "Salvaged pages", "Style labels", "Device evidence", "Mixture",
                    "RL rounds", "Independent evaluation", "feedback", "Distillation", "Style control"):
        assert section in html, section
    assert "<script" not in html.lower()  # scraped text is escaped; the page itself has no scripts
    assert html.count("<mark") >= 5  # removed spans and device evidence are highlighted
    shares = acts["mix"]["summary"]["labels"]
    assert abs(shares["literature"]["achieved"] - 0.4) < 0.03
    for sub in ("pipeline/report.html", "mix/report.html", "forge/report.html", "eval/report.html", "eval/feedback.json",
                "style/report.html", "style/dose/dose.json", "style/rounds/rounds.json"):
        assert (out / sub).exists(), sub
    style = acts["style"]["summary"]
    assert set(style["output_literary_share"]) == {"0", "0.2", "0.6"}
    assert all(0 <= v <= 1 for v in style["output_literary_share"].values())
    assert [r["round"] for r in style["rounds"]] == [0, 1]
    assert "report:" in result.output


@pytest.mark.skipif(not HEAVY, reason="the background acts need the `train` extra")
def test_killing_the_demo_leaves_no_background_act_running(tmp_path):
    """The forge trains in a spawned process beside the pipeline; SIGKILL of the demo must end it too."""
    import subprocess
    import time

    from processes import group_alive, kill_leader_and_wait, wenforge

    proc = subprocess.Popen(wenforge("demo", "--output", str(tmp_path / "demo")), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (tmp_path / "demo" / "forge.log").exists():
        time.sleep(0.1)
    time.sleep(2)  # the forge process is past its start-up and training
    assert (tmp_path / "demo" / "forge.log").exists() and len(group_alive(proc.pid)) >= 2, "the forge never started"
    left = kill_leader_and_wait(proc)
    assert not left, f"background acts still running after the demo was killed: {left}"
