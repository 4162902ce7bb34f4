"""core.storage and the readers and writers over it, on local paths and on a real SFTP server (`sftp` fixture)."""

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from wenforge.core import storage
from wenforge.core.rows import InputError, count_rows, data_files, data_rows, read_jsonl, read_parquet
from wenforge.core.runs import atomic_output, run_stats, write_stats
from wenforge.core.store import load_model, save_model


def test_urls_and_local_paths_are_told_apart():
    assert storage.is_url("s3://bucket/key") and storage.is_url("sftp://u@h:22/x") and storage.is_url("hf://datasets/a")
    assert not storage.is_url("/data/x.jsonl") and not storage.is_url("file:///data/x") and not storage.is_url("rel/x")
    assert not storage.is_url(Path("s3:/bucket"))  # a Path is local whatever it holds
    assert storage.join("s3://b/run/", "data", "x.parquet") == "s3://b/run/data/x.parquet"
    assert storage.join("/tmp/run", "data") == Path("/tmp/run/data")


def test_passwords_in_urls_and_missing_file_systems_are_refused():
    with pytest.raises(storage.StorageError, match=r"sftp://me:\*\*\*@host/x: a password in a URL") as e:
        storage.check_url("sftp://me:hunter2@host/x")
    assert "hunter2" not in str(e.value) and "FSSPEC_SFTP_PASSWORD" in str(e.value)
    with pytest.raises(storage.StorageError, match="no file system for nosuchfs://"):
        storage.check_url("nosuchfs://bucket/x")
    assert storage.shown("sftp://me:hunter2@host/x") == "sftp://me:***@host/x"
    assert storage.check_url("memory://x") == "memory://x"


def test_files_on_the_server(sftp):
    url = sftp.url("a/b/x.txt")
    with storage.open_file(url, "w") as f:
        f.write("中文")
    assert (sftp.root / "a" / "b" / "x.txt").read_text(encoding="utf-8") == "中文"
    assert storage.exists(url) and storage.isfile(url) and storage.isdir(sftp.url("a")) and not storage.isfile(sftp.url("a"))
    assert storage.size(url) == len("中文".encode())
    with pytest.raises(OSError, match="no such file"):
        storage.size(sftp.url("a/missing"))
    storage.write_bytes(url, b"replaced")
    assert (sftp.root / "a" / "b" / "x.txt").read_bytes() == b"replaced"
    assert [p.name for p in (sftp.root / "a" / "b").iterdir()] == ["x.txt"]  # no temporary file left
    (sftp.root / "a" / "y.txt").write_text("y")
    assert storage.listing(sftp.url("a"), "**/*.txt") == [sftp.url("a/b/x.txt"), sftp.url("a/y.txt")]
    assert storage.listing(sftp.url("a"), "*.txt") == [sftp.url("a/y.txt")]


def test_rows_are_read_from_the_server_with_the_same_problems_named(sftp):
    lines = b'{"text": "one"}\n{broken\n\n{"text": "two"}\n'
    (sftp.root / "in").mkdir()
    (sftp.root / "in" / "a.jsonl").write_bytes(lines)
    (sftp.root / "in" / "b.jsonl.gz").write_bytes(gzip.compress(lines))
    for name in ("a.jsonl", "b.jsonl.gz"):
        got = list(read_jsonl(sftp.url(f"in/{name}")))
        assert [ln.row for ln in got] == [{"text": "one"}, None, {"text": "two"}]
        assert got[1].error.startswith(sftp.url(f"in/{name}") + ":2: invalid JSON")
        assert count_rows(sftp.url(f"in/{name}")) == 3
    (sftp.root / "in" / "empty.jsonl").write_bytes(b"")
    with pytest.raises(InputError, match=r"sftp://.*/in/empty.jsonl: empty file"):
        list(read_jsonl(sftp.url("in/empty.jsonl")))
    with pytest.raises(InputError, match=r"sftp://.*/in/none.jsonl: no such file"):
        list(read_jsonl(sftp.url("in/none.jsonl")))
    assert data_files(sftp.url("in"), (".jsonl",)) == [sftp.url("in/a.jsonl"), sftp.url("in/empty.jsonl")]
    with pytest.raises(InputError, match="no such data file or folder"):
        data_files(sftp.url("nowhere"))


def test_parquet_outputs_stats_and_models_round_trip_on_the_server(sftp, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["a", "b", "c"]}), tmp_path / "t.parquet")
    (sftp.root / "t.parquet").write_bytes((tmp_path / "t.parquet").read_bytes())
    assert [ln.row["text"] for ln in read_parquet(sftp.url("t.parquet"))] == ["a", "b", "c"]
    assert count_rows(sftp.url("t.parquet")) == 3

    with atomic_output(sftp.url("run/data/out.jsonl"), "w") as f:
        f.write('{"text": "kept"}\n')
    assert list(data_rows(sftp.url("run"))) == [{"text": "kept"}]  # a run folder's data/
    with pytest.raises(RuntimeError), atomic_output(sftp.url("run/data/out.jsonl"), "w") as f:
        f.write("half")
        raise RuntimeError("killed")
    assert (sftp.root / "run" / "data" / "out.jsonl").read_text() == '{"text": "kept"}\n'  # the old file stays

    stats = run_stats("x", read=1, kept=1, excluded={}, seconds=0.1, config={})
    assert write_stats(sftp.url("run"), stats) == sftp.url("run/stats.json")
    assert json.loads((sftp.root / "run" / "stats.json").read_text())["conserved"] is True

    path = save_model(sftp.url("models/m.npz"), "test", {"w": np.arange(3)}, {"note": "remote"})
    model = load_model(path, "test", "rebuild")
    assert model.arrays["w"].tolist() == [0, 1, 2] and model.meta == {"note": "remote"}
    with pytest.raises(FileNotFoundError, match="test model missing"):
        load_model(sftp.url("models/none.npz"), "test", "rebuild")


def test_datatrove_folders_on_sftp_carry_paths_and_sizes(sftp):
    (sftp.root / "sigs").mkdir()
    (sftp.root / "sigs" / "00000.sig").write_bytes(b"\x00" * 24)
    folder = storage.datatrove_folder(sftp.url("sigs"))
    assert storage.datatrove_folder("/tmp/x") == "/tmp/x"
    with folder.open("00000.sig", "rb") as f:
        assert f.size == 24 and f.path.endswith("/sigs/00000.sig") and f.read() == b"\x00" * 24
    (sftp.root / "sigs" / "new").mkdir()
    fs = folder.fs  # the SFTP file system under the DataFolder
    fs.exists = lambda path: False  # what a worker saw just before another one created the folder
    fs.makedirs("/sigs/new", exist_ok=True)
    fs.makedirs("/sigs/new/deeper", exist_ok=True)  # every level "missing": the ones there are passed over
    assert (sftp.root / "sigs" / "new" / "deeper").is_dir()
    with pytest.raises(OSError):
        fs.makedirs("/sigs/00000.sig/x", exist_ok=True)  # a real failure (a file in the way) still raises
