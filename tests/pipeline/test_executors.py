"""make_executor: the Ray executor groups a stage's tasks into one datatrove job per worker (start-up paid per
worker, not per task), and logs into the run folder. A stand-in `ray` module, so it runs without the extra."""

import importlib.machinery
import importlib.util
import sys
import types

import pytest

from wenforge.pipeline.build import RunLayout, Stage, make_executor


@pytest.fixture
def fake_ray(monkeypatch):
    try:
        installed = importlib.util.find_spec("ray") is not None
    except ImportError:  # hidden by an import hook (the light-install tests)
        installed = False
    if not installed:
        ray = types.ModuleType("ray")
        ray.__spec__ = importlib.machinery.ModuleSpec("ray", None)
        ray.is_initialized = lambda: True
        monkeypatch.setitem(sys.modules, "ray", ray)
    else:
        import ray

        monkeypatch.setattr(ray, "is_initialized", lambda: True)


@pytest.mark.parametrize(("tasks", "workers", "per_job"), [(6, 2, 3), (5, 2, 3), (40, 2, 4), (1, 2, 1), (8, 8, 1)])
def test_ray_jobs_hold_a_workers_share_of_the_tasks_up_to_four(tmp_path, fake_ray, tasks, workers, per_job):
    ex = make_executor(Stage("process", [], tasks), RunLayout(tmp_path / "run"), "ray", workers)
    assert ex.tasks_per_job == per_job and ex.world_size == tasks
    assert ex.logging_dir.path.endswith("run/_work/logs/process")


def test_local_executor_logs_into_the_run_folder(tmp_path):
    ex = make_executor(Stage("write", [], 3), RunLayout(tmp_path / "run"), "local", 8)
    assert ex.workers == 3 and ex.logging_dir.path.endswith("run/_work/logs/write")
