"""`wenforge demo`: killing it leaves nothing running. (Every act end to end, from a fresh install in an empty
folder: tests/test_install.py.)"""

import importlib.util

import pytest

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft"))


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
