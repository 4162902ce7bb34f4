"""The model store: named arrays and a JSON record round-trip; pickles, broken files and wrong kinds are refused."""

import numpy as np
import pytest

from wenforge.core.store import RECORD, ModelFileError, load_model, save_model

REBUILD = "wenforge detect-train demo"


def test_round_trip_keeps_arrays_dtypes_and_meta(tmp_path):
    arrays = {"coef": np.array([0.1, -2.5], dtype=np.float32), "vocab": np.array(["不是", "而是 <n>"]),
              "left": np.arange(3, dtype=np.int32)}
    meta = {"threshold": 0.1 + 0.2, "features": ["偏置", "长度"], "extra": {"prior": 1e-300}}
    path = save_model(tmp_path / "sub" / "m.npz", "demo", arrays, meta)
    got = load_model(path, "demo", REBUILD)
    assert set(got.arrays) == set(arrays)
    for name, a in arrays.items():
        assert got.arrays[name].dtype == a.dtype and np.array_equal(got.arrays[name], a)
    assert got.meta == meta  # floats survive JSON exactly
    assert not list(path.parent.glob(".*.tmp"))  # written atomically, no leftover


@pytest.mark.parametrize("bad", [np.array([{"a": 1}], dtype=object), np.array(["a", None], dtype=object)])
def test_object_arrays_are_refused(tmp_path, bad):
    with pytest.raises(TypeError, match="object arrays.*bad"):
        save_model(tmp_path / "m.npz", "demo", {"ok": np.zeros(2), "bad": bad})
    assert not (tmp_path / "m.npz").exists()


def test_the_record_name_is_reserved_and_meta_must_be_json(tmp_path):
    with pytest.raises(ValueError, match=RECORD):
        save_model(tmp_path / "m.npz", "demo", {RECORD: np.zeros(1)})
    with pytest.raises(TypeError):
        save_model(tmp_path / "m.npz", "demo", {}, {"a": object()})


def test_missing_file_names_the_file_and_the_rebuild_command(tmp_path):
    with pytest.raises(FileNotFoundError, match=rf"missing\.npz.*{REBUILD}"):
        load_model(tmp_path / "missing.npz", "demo", REBUILD)


def test_corrupt_files_name_the_file(tmp_path):
    good = save_model(tmp_path / "good.npz", "demo", {"w": np.arange(1000.0)})
    cases = {"text.npz": b"not an archive at all", "cut.npz": good.read_bytes()[:200]}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    np.save(tmp_path / "one.npy", np.zeros(3))
    for name in [*cases, "one.npy"]:
        with pytest.raises(ModelFileError, match=rf"{name}: not a readable model file.*{REBUILD}"):
            load_model(tmp_path / name, "demo", REBUILD)


def test_pickled_arrays_inside_an_archive_are_not_loaded(tmp_path):
    np.savez(tmp_path / "p.npz", x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ModelFileError, match="p.npz: not a readable model file"):
        load_model(tmp_path / "p.npz", "demo", REBUILD)


def test_plain_npz_without_record_is_not_a_model(tmp_path):
    np.savez(tmp_path / "plain.npz", w=np.zeros(2))
    with pytest.raises(ModelFileError, match=r"plain\.npz: no __record__ record"):
        load_model(tmp_path / "plain.npz", "demo", REBUILD)


def test_wrong_kind_and_version_are_refused(tmp_path):
    path = save_model(tmp_path / "m.npz", "forest", {"w": np.zeros(2)})
    with pytest.raises(ModelFileError, match=r"m\.npz: a 'forest' model, not a 'demo' model.*" + REBUILD):
        load_model(path, "demo", REBUILD)
    np.savez(tmp_path / "v.npz", w=np.zeros(2),
             **{RECORD: np.array('{"format": "wenforge-model", "version": 99, "kind": "demo", "meta": {}}')})
    with pytest.raises(ModelFileError, match=r"v\.npz: model store version 99"):
        load_model(tmp_path / "v.npz", "demo", REBUILD)
    np.savez(tmp_path / "j.npz", **{RECORD: np.array("{not json")})
    with pytest.raises(ModelFileError, match=r"j\.npz: the __record__ record is not JSON"):
        load_model(tmp_path / "j.npz", "demo", REBUILD)
