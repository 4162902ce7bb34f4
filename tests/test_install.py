"""The package stands alone: the same command gives byte-identical outputs from the checkout, from an empty
directory and from a non-editable install in a fresh virtualenv; and the light install (no extras) runs the
demo pipeline.

The fresh virtualenv gets wenforge from a wheel built here (no network: `--no-deps --no-build-isolation`); its
third-party dependencies come from this environment's site-packages through a .pth line, which adds the folder
without running its .pth files, so the editable checkout is not on its path. The light run hides the extras
(torch, transformers, trl, peft, datasets, accelerate, openai, ray) behind an import hook, as if they were not
installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft"))
EXTRAS = ("torch", "transformers", "trl", "peft", "datasets", "accelerate", "openai", "ray")
TEXTS = [
    "月光像一层薄薄的纱，轻轻地覆在老屋的瓦檐上。祖母坐在门槛边，一针一线地缝着旧棉袄，偶尔抬头望一眼远处的山。",
    "本报讯 记者从市交通运输局获悉，今年我市将新开通公交线路12条，优化调整线路30条，进一步方便市民出行。",
    "澳门新葡京娱乐场官网注册送88元 点击进入 www.am888.com 最新入口 今日热点：市政府召开常务会议部署秋粮收购工作。",
    "在这个数字化的时代，我们不仅要拥抱技术，更要守护心灵的宁静。让我们携手并进，共同书写属于我们的璀璨篇章。",
    # a pinyin-gloss mirror and character gibberish: these read the shipped character counts
    "當(dāng)前，我國(guó)經(jīng)濟(jì)發(fā)展(zhǎn)呈現(xiàn)穩(wěn)中向好態(tài)勢(shì)，會(huì)議(yì)強(qiáng)調(diào)要繼續(xù)推進(jìn)改革。",
    "今日要闻 腾猛蓝叙鹅珊 砚谍滔蔓揪 市场监管总局通报了一批典型案例，涉及食品安全和价格欺诈等问题。",
]
HIDE_EXTRAS = f"""
import importlib.abc, sys
class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {EXTRAS!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (hidden: light install)", name=name)
        return None
sys.meta_path.insert(0, _NotInstalled())
"""


def _here_wenforge() -> list[str]:
    exe = Path(sys.executable).with_name("wenforge")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "wenforge.cli"]


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    """A new virtualenv with wenforge installed from a wheel (not editable) and this environment's libraries."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, timeout=600, cwd=base,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' build/ folder, not part of the checkout
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "parent_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(wheels.glob("wenforge-*.whl"))
    import zipfile

    shipped = set(zipfile.ZipFile(wheel).namelist())
    assets = {str(f.relative_to(ROOT / "src")) for f in (ROOT / "src" / "wenforge").rglob("assets/**/*") if f.is_file()}
    assert assets and assets <= shipped, f"assets missing from the wheel: {sorted(assets - shipped)}"
    assert "wenforge/NOTICE.md" in shipped
    inst = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    assert inst.returncode == 0, inst.stderr[-2000:]
    where = subprocess.check_output([str(py), "-c", "import wenforge; print(wenforge.__file__)"], text=True, cwd=base)
    assert str(site) in where and str(ROOT) not in where, where
    return venv


def _run(cmd: list[str], cwd: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("WENFORGE_DATA", "PYTHONPATH")}
    env.update(env_extra or {})
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900, env=env)
    assert res.returncode == 0, f"{' '.join(cmd)} in {cwd}:\n{res.stdout[-1500:]}\n{res.stderr[-3000:]}"
    return res


def test_same_outputs_from_the_checkout_an_empty_folder_and_a_fresh_install(tmp_path, fresh_venv):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(TEXTS)), encoding="utf-8")
    items = tmp_path / "bench.jsonl"  # a benchmark item, planted in the second text below
    items.write_text(json.dumps({"question": TEXTS[1][:40]}, ensure_ascii=False) + "\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    places = {"checkout": (_here_wenforge(), ROOT), "empty folder": (_here_wenforge(), empty),
              "fresh install": ([str(fresh_venv / "bin" / "wenforge")], empty)}
    outputs: dict[str, dict[str, bytes]] = {}
    for place, (exe, cwd) in places.items():
        out = tmp_path / place.replace(" ", "_")
        out.mkdir()
        _run([*exe, "clean", str(src), "-o", str(out / "clean.jsonl")], cwd)
        _run([*exe, "style", str(src), "-o", str(out / "style.jsonl"), "--report", str(out / "style.html")], cwd)
        _run([*exe, "detect", "ai", str(src), "-o", str(out / "ai.jsonl")], cwd)
        _run([*exe, "detect", "values", str(src), "-o", str(out / "values.jsonl")], cwd)
        _run([*exe, "pii", str(src), "-o", str(out / "pii.jsonl")], cwd)
        _run([*exe, "decontaminate", str(src), "-o", str(out / "decontam.jsonl"), "--against", str(items)], cwd)
        outputs[place] = {f.name: f.read_bytes() for f in sorted(out.glob("*.jsonl"))}
    assert set(outputs["checkout"]) == {"clean.jsonl", "style.jsonl", "ai.jsonl", "values.jsonl", "pii.jsonl",
                                        "decontam.jsonl"}
    decontam = [json.loads(x) for x in outputs["checkout"]["decontam.jsonl"].splitlines()]
    assert decontam[1]["contaminated"] and not decontam[0]["contaminated"]  # the index is built, not shipped
    rows = [json.loads(x) for x in outputs["checkout"]["clean.jsonl"].splitlines()]
    assert rows[2]["spam"] and not rows[0]["spam"]  # the shipped lexicons are in use, not an empty matcher
    for place in ("empty folder", "fresh install"):
        for name, data in outputs["checkout"].items():
            assert outputs[place][name] == data, f"{name} differs between the checkout and the {place}"


def _light(tmp_path: Path) -> dict[str, str]:
    """The environment of a light install: the extras hidden by an import hook."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HIDE_EXTRAS)
    return {"PYTHONPATH": str(hook)}


def test_the_light_install_runs_the_demo_pipeline(tmp_path, fresh_venv):
    light = _light(tmp_path)
    probe = subprocess.run([str(fresh_venv / "bin" / "python"), "-c", "import torch"], capture_output=True, text=True,
                           env={**os.environ, **light})
    assert probe.returncode != 0 and "hidden: light install" in probe.stderr
    out = tmp_path / "demo-run"
    _run([str(fresh_venv / "bin" / "wenforge"), "run", str(ROOT / "examples" / "demo.yaml"), "-o", str(out)],
         tmp_path, light)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["conserved"] and stats["rows"]["kept"] > 0 and list((out / "data").glob("*.parquet"))
    import pyarrow.parquet as pq

    kept = [r for f in sorted((out / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert any(r["spam"] for r in kept) and all(r["l1"] for r in kept)  # cleaned and style-labelled


def test_the_light_install_runs_wenforge_demo_from_an_empty_folder(tmp_path, fresh_venv):
    empty = tmp_path / "empty"
    empty.mkdir()
    _run([str(fresh_venv / "bin" / "wenforge"), "demo", "--output", "demo"], empty, _light(tmp_path))
    acts = {a["name"]: a for a in json.loads((empty / "demo" / "demo.json").read_text())}
    ran = {n for n, a in acts.items() if a["status"] == "ok"}
    skipped = {n: a["note"] for n, a in acts.items() if a["status"] == "skipped"}
    assert "pipeline" in ran and not {n for n, a in acts.items() if a["status"] == "failed"}
    assert skipped and all(note.startswith("not installed: ") for note in skipped.values())  # the model acts
    assert (empty / "demo" / "report.html").stat().st_size > 0


def test_the_light_install_declares_no_model_libraries(fresh_venv):
    probe = "from importlib.metadata import requires; print('\\n'.join(requires('wenforge')))"
    reqs = subprocess.check_output([str(fresh_venv / "bin" / "python"), "-c", probe], text=True).splitlines()
    light = [r.split(";")[0].strip() for r in reqs if "extra ==" not in r]
    names = {r.split("=")[0].split(">")[0].split("<")[0].split("[")[0].strip().lower() for r in light}
    assert names and not names & {"torch", "transformers", "trl", "peft", "accelerate", "datasets", "openai", "ray",
                                   "s3fs", "paramiko"}, sorted(names)
    extras = {r.split("extra ==")[1].strip().strip("'\"") for r in reqs if "extra ==" in r}
    assert {"train", "distill", "ray", "s3", "sftp"} <= extras


@pytest.mark.skipif(not HEAVY, reason="the demo's model acts need the `train` extra")
def test_the_full_install_runs_every_demo_act_from_an_empty_folder(tmp_path, fresh_venv):
    """`wenforge demo` end to end: every act runs and the one report shows each capability's results, escaped."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run([str(fresh_venv / "bin" / "wenforge"), "demo", "--output", "demo"], empty)
    out = empty / "demo"
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
    assert "report:" in result.stdout
