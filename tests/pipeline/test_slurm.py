"""`wenforge run --executor slurm`: the stages become chained sbatch job arrays (datatrove's SlurmPipelineExecutor).
No cluster here: `sbatch` is a stand-in that records each script, and the jobs are then run the way Slurm would
(each array index with SLURM_ARRAY_TASK_ID set, loading the stage's pickled executor, as datatrove's
`launch_pickled_pipeline` does); the same command with the local executor then finds every task done."""

import os

import dill
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.core.config import ConfigError
from wenforge.pipeline.config import load_config
from wenforge.pipeline.run import run_pipeline

CONFIG = """
input: {{paths: [in]}}
dedup: {{exact: true, minhash: {{enabled: false}}}}
output: {{dir: {out}}}
tasks: 3
{slurm}
"""
SLURM = ("slurm: {partition: debug, time: '01:00:00', venv_path: /opt/venv/bin/activate, sbatch_args: {account: lab}, "
         "cpus_per_task: 2, mem_per_cpu_gb: 3, qos: high, job_name: wf}")


@pytest.fixture
def sbatch(monkeypatch):
    """Stand-in for `sbatch`: records (script, args) and answers with job ids 100, 101, ..."""
    import datatrove.executor.slurm as slurm

    calls: list[tuple[str, tuple]] = []

    def launch(contents, retriever, *args):
        calls.append((contents, args))
        return str(100 + len(calls) - 1)

    monkeypatch.setattr(slurm, "launch_slurm_job", launch)
    return calls


def _corpus(tmp_path, news, write_jsonl):
    for i in range(3):
        write_jsonl(tmp_path / "in" / f"{i}.jsonl", [{"id": f"d{i}-{j}", "text": news[(i * 7 + j) % len(news)]}
                                                     for j in range(6)])


def _kept(folder):
    return sorted((r["id"], r["text"]) for f in sorted((folder / "data").glob("*.parquet"))
                  for r in pq.read_table(f).to_pylist())


def _run_like_slurm(run_dir, stage: str, array_size: int, monkeypatch) -> None:
    bin_dir = run_dir.parent / "slurm-bin"  # `scontrol show hostnames NODELIST`, which datatrove calls
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "scontrol").write_text("#!/bin/sh\necho node1\n")
    (bin_dir / "scontrol").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    for index in range(array_size):
        monkeypatch.setenv("SLURM_ARRAY_TASK_ID", str(index))
        monkeypatch.setenv("RUN_OFFSET", "0")
        monkeypatch.setenv("SLURM_NODELIST", "node1")
        with open(run_dir / "_work" / "logs" / stage / "executor.pik", "rb") as f:
            dill.load(f).run()
    monkeypatch.delenv("SLURM_ARRAY_TASK_ID")


def test_stages_are_chained_job_arrays_and_the_local_rerun_writes_the_stats(tmp_path, news, write_jsonl, sbatch,
                                                                             monkeypatch):
    _corpus(tmp_path, news, write_jsonl)
    cfg = tmp_path / "slurm.yaml"
    cfg.write_text(CONFIG.format(out="out", slurm=SLURM))
    result = run_pipeline(load_config(cfg), executor="slurm")
    stages = ["process", "exact_signatures", "exact_find", "write"]
    assert [s for s, _ in result.slurm_jobs] == stages
    arrays = [(c, a) for c, a in sbatch if "launch_pickled_pipeline" in c]  # the rest merge each stage's stats
    assert len(arrays) == 4 and [job for _, job in result.slurm_jobs] == [str(sbatch.index(x) + 100) for x in arrays]
    for (script, args), stage in zip(arrays, stages, strict=True):
        assert "#SBATCH --partition=debug" in script and "#SBATCH --time=01:00:00" in script
        assert "#SBATCH --account=lab" in script and "source /opt/venv/bin/activate" in script
        assert f"#SBATCH --job-name=wf-{stage}" in script and "#SBATCH --qos=high" in script
        assert "#SBATCH --cpus-per-task=2" in script and "#SBATCH --mem-per-cpu=3G" in script
        assert ("#SBATCH --array=0-2" if stage != "exact_find" else "#SBATCH --array=0-0") in script
    dependencies = [next((x for x in args if x.startswith("--dependency=")), None) for _, args in arrays]
    jobs = [job for _, job in result.slurm_jobs]
    assert dependencies == [None] + [f"--dependency=afterok:{j}" for j in jobs[:-1]]
    assert not (tmp_path / "out" / "stats.json").exists()  # nothing ran yet

    for stage, array_size in zip(stages, (3, 3, 1, 3), strict=True):  # the cluster runs the jobs in order
        _run_like_slurm(tmp_path / "out", stage, array_size, monkeypatch)
    after = run_pipeline(load_config(cfg))  # the local executor: every task is done, stats and report written
    assert after.read == 18 and after.conserved and (tmp_path / "out" / "report.html").exists()
    local = tmp_path / "local.yaml"
    local.write_text(CONFIG.format(out="local-out", slurm=""))
    here = run_pipeline(load_config(local))
    assert _kept(tmp_path / "out") == _kept(tmp_path / "local-out") and after.by_step == here.by_step


def test_slurm_without_its_section_is_a_clear_error(tmp_path, news, write_jsonl, sbatch):
    _corpus(tmp_path, news, write_jsonl)
    cfg = tmp_path / "p.yaml"
    cfg.write_text(CONFIG.format(out="out", slurm=""))
    with pytest.raises(ConfigError, match="--executor slurm needs a `slurm:` section"):
        run_pipeline(load_config(cfg), executor="slurm")
    cfg.write_text(CONFIG.format(out="out", slurm="slurm: {time: '1:00:00'}"))
    res = CliRunner().invoke(app, ["run", str(cfg), "--executor", "slurm"])
    assert res.exit_code == 2 and "slurm.partition" in res.output and not sbatch


def test_the_cli_lists_the_submitted_jobs(tmp_path, news, write_jsonl, sbatch):
    _corpus(tmp_path, news, write_jsonl)
    cfg = tmp_path / "p.yaml"
    cfg.write_text(CONFIG.format(out="out", slurm=SLURM))
    res = CliRunner().invoke(app, ["run", str(cfg), "--executor", "slurm"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "process: Slurm job 100" in res.output and "--executor local" in res.output
    assert os.path.exists(tmp_path / "out" / "_work" / "logs" / "write" / "launch_script.slurm")
