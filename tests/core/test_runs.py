"""Outputs never overwrite inputs, never end half-written, and JSONL lines end at \\n only (issue 14)."""

import json

import pytest
from typer.testing import CliRunner

from wenforge.cli import app
from wenforge.core.rows import read_jsonl
from wenforge.core.runs import OutputError, atomic_output, refuse_overwrite

TEXTS = ["今天下午，我们在河边的小茶馆坐了很久，聊起小时候的事。", "第二段\u2028仍是同一篇文章\u2029的内容\u0085结束。"]


def _said(res) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(res.output.split())


def _input(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(TEXTS)), encoding="utf-8")
    return inp


def test_line_separators_inside_strings_stay_in_their_row(tmp_path):
    lines = list(read_jsonl(_input(tmp_path)))
    assert [x.lineno for x in lines] == [1, 2]
    assert lines[1].row["text"] == TEXTS[1]


@pytest.mark.parametrize("cmd", [["clean"], ["style"], ["detect", "ai"]])
def test_output_onto_input_is_refused_and_input_kept(tmp_path, cmd):
    inp = _input(tmp_path)
    before = inp.read_bytes()
    res = CliRunner().invoke(app, [*cmd, str(inp), "-o", str(inp)])
    assert res.exit_code == 2
    assert "output is the input" in _said(res)
    assert inp.read_bytes() == before


@pytest.mark.parametrize("cmd", [["clean"], ["style"]])
def test_separator_characters_do_not_split_documents(tmp_path, cmd):
    inp = _input(tmp_path)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, [*cmd, str(inp), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_bytes().split(b"\n") if x]
    assert [r["id"] for r in rows] == ["0", "1"]
    assert not any("error" in r or "malformed_input" in r.get("reasons", []) for r in rows)


@pytest.mark.parametrize("cmd", [["clean"], ["style"], ["detect", "values"]])
def test_failed_command_keeps_the_previous_output(tmp_path, cmd):
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    res = CliRunner().invoke(app, [*cmd, str(tmp_path / "missing.jsonl"), "-o", str(out)])
    assert res.exit_code == 2 and "no such file" in _said(res)
    assert out.read_text(encoding="utf-8") == "previous results\n"


def test_atomic_output_leaves_nothing_when_interrupted(tmp_path):
    target = tmp_path / "t.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_output(target) as f:
        f.write(b"half")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.jsonl"]
    with atomic_output(target, "w") as f:
        f.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_output_inside_an_input_folder_is_refused(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    with pytest.raises(OutputError, match="inside the input folder"):
        refuse_overwrite(folder / "mix" / "out.jsonl", folder)
    refuse_overwrite(tmp_path / "elsewhere.jsonl", folder, None)


def test_markup_in_messages_is_printed_literally(tmp_path):
    weird = tmp_path / "[red]x[/x].jsonl"
    res = CliRunner().invoke(app, ["clean", str(weird), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2
    assert "[/x]" in res.output.replace("\n", "")


@pytest.mark.parametrize("cmd", [["clean"], ["style"], ["detect", "values"]])
def test_os_errors_are_one_clear_line(tmp_path, cmd):
    inp = _input(tmp_path)
    folder = tmp_path / "out.jsonl"
    folder.mkdir()
    args = [*cmd, str(inp), "-o", str(folder)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "is a folder" in _said(res) or "Is a directory" in _said(res)
    assert "Traceback" not in res.output


def test_utf16_input_is_named_as_such(tmp_path):
    from wenforge.core.rows import InputError, check_text_file

    for enc in ("utf-16", "utf-16-le"):
        p = tmp_path / f"{enc}.jsonl"
        p.write_text('{"id": 1, "text": "你好，世界"}\n', encoding=enc)
        with pytest.raises(InputError, match="UTF-16 text"):
            check_text_file(p)
    b = tmp_path / "bin.jsonl"
    b.write_bytes(b"\x00\x01\x02PK\x03\x04" * 4)
    with pytest.raises(InputError, match="binary"):
        check_text_file(b)


@pytest.mark.parametrize("cmd", [
    ["mix", "{inp}", "--share", "[/x]=1", "-o", "{tmp}/m"],
    ["distill", "{cfg}"],
    ["rewards", "score", "{tmp}/[/x].jsonl", "-o", "{tmp}/r"],
    ["train", "sft", "{cfg}"],
])
def test_bracketed_user_text_is_not_read_as_markup(tmp_path, cmd):
    """Issue 14: a config value "[/x]" raised rich.errors.MarkupError; other bracketed text vanished."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text('"[/x]": 1\n', encoding="utf-8")
    args = [a.format(inp=_input(tmp_path), tmp=tmp_path, cfg=cfg) for a in cmd]
    res = CliRunner().invoke(app, args)
    assert res.exit_code != 0
    assert "MarkupError" not in repr(res.exception)
    assert "[/x]" in res.output.replace("\n", "")
