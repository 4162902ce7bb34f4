import gzip
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from wenforge.pipeline.readers import CorpusReader, InputError, expand_inputs


def read_all(*files, **kw):
    return list(CorpusReader([str(f) for f in files], **kw).run())


def test_jsonl_variants_and_errors(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "你好，世界。", "lang_hint": "zh"}, ensure_ascii=False),
        "{broken",
        json.dumps({"id": "b", "body": "no text"}),
        "",
        json.dumps([1, 2]),
        json.dumps({"text": "没有编号的文档。"}, ensure_ascii=False),
    ]
    plain = tmp_path / "a.jsonl"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gz = tmp_path / "b.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as f:
        f.write(lines[0] + "\n")
    zst = tmp_path / "c.jsonl.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress((lines[0] + "\n").encode()))
    docs = read_all(plain)
    assert [d.metadata.get("_error") for d in docs] == [None, "malformed_json", "missing_text_field", "malformed_json", None]
    assert docs[0].id == "a" and docs[0].metadata["lang_hint"] == "zh" and docs[0].metadata["line"] == 1
    assert docs[1].id == f"{plain}:2" and docs[2].metadata["line"] == 3
    assert docs[4].id == f"{plain}:6"  # no id field: file:line
    for f in (gz, zst):
        (d,) = read_all(f)
        assert d.text == "你好，世界。"


def test_gbk_encoded_jsonl_line_is_decoded(tmp_path):
    f = tmp_path / "gbk.jsonl"
    f.write_bytes(json.dumps({"id": "g", "text": "中文编码测试，国标扩展。"}, ensure_ascii=False).encode("gbk") + b"\n")
    (d,) = read_all(f)
    assert d.text == "中文编码测试，国标扩展。"


def test_empty_binary_and_unknown_files(tmp_path):
    (tmp_path / "e.jsonl").write_bytes(b"")
    (tmp_path / "b.jsonl").write_bytes(b"\x00\x01\x02\x03" * 50)
    (tmp_path / "z.jsonl.gz").write_bytes(b"not gzip at all")
    docs = read_all(tmp_path / "e.jsonl", tmp_path / "b.jsonl", tmp_path / "z.jsonl.gz")
    assert [d.metadata["_error"] for d in docs] == ["empty_file", "binary_file", "unreadable_file"]


def test_parquet_rows_and_missing_column(tmp_path):
    pq.write_table(pa.table({"id": ["1", "2"], "content": ["甲文。", "乙文。"]}), tmp_path / "p.parquet")
    docs = read_all(tmp_path / "p.parquet", text_field="content")
    assert [d.text for d in docs] == ["甲文。", "乙文。"] and docs[1].metadata["line"] == 2
    docs = read_all(tmp_path / "p.parquet")
    assert [d.metadata["_error"] for d in docs] == ["missing_text_field"] * 2


def test_html_files_and_size_cap(tmp_path):
    (tmp_path / "p.html").write_bytes("<html><body><p>正文</p></body></html>".encode("gb18030"))
    (tmp_path / "big.txt").write_bytes(b"x" * 5000)
    docs = read_all(tmp_path / "p.html", tmp_path / "big.txt", max_file_bytes=1000)
    assert docs[0].metadata["_raw"].decode("gb18030").startswith("<html>")
    assert docs[0].metadata["content_type"] == "text/html"
    assert docs[1].metadata["_error"] == "too_large"


def test_warc_records(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "c.warc.gz"
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for i, ctype in enumerate(["text/html; charset=gbk", "image/png"]):
            body = "<html><body><p>网页正文</p></body></html>".encode("gbk") if i == 0 else b"\x89PNG"
            hdr = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"http://x.cn/{i}", "response", payload=io.BytesIO(body), http_headers=hdr))
    (d,) = read_all(path)
    assert d.metadata["url"] == "http://x.cn/0" and d.metadata["_declared_charset"] == "gbk"


def test_sharding_across_tasks(tmp_path):
    files = []
    for i in range(5):
        f = tmp_path / f"{i}.jsonl"
        f.write_text(json.dumps({"id": str(i), "text": "文"}) + "\n")
        files.append(str(f))
    reader = CorpusReader(files)
    ids = [d.id for r in range(2) for d in reader.run(rank=r, world_size=2)]
    assert sorted(ids) == ["0", "1", "2", "3", "4"]


def test_expand_inputs_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        expand_inputs([str(tmp_path / "missing")])
    (tmp_path / "d").mkdir()
    with pytest.raises(InputError, match="no input files"):
        expand_inputs([str(tmp_path / "d")])
