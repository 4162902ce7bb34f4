"""The one row reader: JSONL and Parquet alike, bad lines named by file and line, whole-file checks."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wenforge.core.rows import (
    PARQUET_BATCH_ROWS,
    InputError,
    count_rows,
    data_files,
    data_rows,
    read_jsonl,
    read_parquet,
    read_rows,
)


def _jsonl(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_lines_are_rows_or_named_problems(tmp_path):
    f = _jsonl(tmp_path / "a.jsonl", ['{"text": "一"}', "", "{broken", "[1, 2]", '{"text": "二\u2028行"}'])
    lines = list(read_jsonl(f))
    assert [ln.lineno for ln in lines] == [1, 3, 4, 5]  # the blank line is skipped, numbering kept
    assert lines[0].row == {"text": "一"} and lines[3].row["text"] == "二\u2028行"
    assert lines[1].row is None and lines[1].error.startswith(f"{f}:3: invalid JSON")
    assert lines[2].reason == "expected a JSON object, got list" and lines[2].raw == b"[1, 2]\n"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "looks binary"),
    ('{"text": "中"}\n'.encode("utf-16-le"), "UTF-16"),
    (b'{"text": "\xd6\xd0\xce\xc4"}\n' * 3, "not UTF-8"),
])
def test_files_that_are_not_jsonl_are_refused_by_name(tmp_path, content, message):
    f = tmp_path / "bad.jsonl"
    f.write_bytes(content)
    with pytest.raises(InputError, match=message) as e:
        list(read_jsonl(f))
    assert str(f) in str(e.value)


def test_parquet_rows_stream_in_batches_with_row_numbers(tmp_path):
    n = PARQUET_BATCH_ROWS * 2 + 5
    f = tmp_path / "a.parquet"
    pq.write_table(pa.table({"text": [f"t{i}" for i in range(n)], "k": list(range(n))}), f)
    lines = list(read_parquet(f))
    assert len(lines) == n and lines[-1].lineno == n and lines[-1].row == {"text": f"t{n - 1}", "k": n - 1}
    assert list(read_parquet(f, columns=["k"]))[0].row == {"k": 0}
    assert count_rows(f) == n
    assert [ln.row for ln in read_rows(f)][:2] == [{"text": "t0", "k": 0}, {"text": "t1", "k": 1}]


def test_a_corrupt_parquet_file_is_named(tmp_path):
    f = tmp_path / "bad.parquet"
    f.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(InputError, match="not a readable Parquet file") as e:
        list(read_parquet(f))
    assert str(f) in str(e.value)


def test_data_files_of_a_file_a_folder_and_a_run_folder(tmp_path):
    run = tmp_path / "run"
    (run / "data").mkdir(parents=True)
    a = _jsonl(run / "data" / "b.jsonl", ['{"x": 2}'])
    pq.write_table(pa.table({"x": [1]}), run / "data" / "a.parquet")
    (run / "data" / "notes.txt").write_text("ignored")
    assert data_files(a) == [a]
    assert [p.name for p in data_files(run)] == ["a.parquet", "b.jsonl"]
    assert [r["x"] for r in data_rows(run)] == [1, 2]
    with pytest.raises(InputError, match="no such data file or folder"):
        data_files(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .jsonl/.parquet files"):
        data_files(tmp_path / "empty")


def test_data_rows_refuse_a_bad_line_of_a_whole_file(tmp_path):
    f = _jsonl(tmp_path / "train.jsonl", [json.dumps({"q": 1}), "nope"])
    with pytest.raises(InputError, match=r"train.jsonl:2: invalid JSON"):
        list(data_rows(f))
