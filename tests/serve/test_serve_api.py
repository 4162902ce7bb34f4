"""`wenforge serve` speaks the OpenAI chat protocol over a tiny local model (built offline in tmp)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from wenforge.lm.tiny import build_tiny_model
    from wenforge.serve.server import ChatModel, make_server

    path = build_tiny_model(tmp_path_factory.mktemp("tiny") / "tiny-model")
    model = ChatModel(path, threads=1)
    srv = make_server(model, "127.0.0.1", 0, default_max_tokens=8, max_tokens_cap=64)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _post(url, body, raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    req = urllib.request.Request(url + "/v1/chat/completions", data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_models_and_completion_shape(server):
    with urllib.request.urlopen(server + "/v1/models", timeout=10) as r:
        data = json.loads(r.read())
    assert data["data"][0]["id"] == "tiny-model"
    status, out = _post(server, {"model": "tiny-model", "messages": [{"role": "user", "content": "你好"}],
                                 "max_tokens": 5, "n": 2, "seed": 3})
    assert status == 200 and out["object"] == "chat.completion" and len(out["choices"]) == 2
    ch = out["choices"][0]
    assert ch["message"]["role"] == "assistant" and isinstance(ch["message"]["content"], str)
    assert ch["finish_reason"] in ("stop", "length")
    assert out["usage"]["completion_tokens"] <= 10 and out["usage"]["prompt_tokens"] > 0


def test_seed_and_greedy_are_reproducible(server):
    body = {"messages": [{"role": "user", "content": "春眠不觉晓"}], "max_tokens": 8, "seed": 7, "temperature": 1.0}
    assert _post(server, body)[1]["choices"] == _post(server, body)[1]["choices"]
    greedy = {"messages": [{"role": "user", "content": "春眠"}], "max_tokens": 8, "temperature": 0}
    a, b = _post(server, greedy)[1], _post(server, greedy)[1]
    assert a["choices"][0]["message"] == b["choices"][0]["message"]


@pytest.mark.parametrize(
    ("body", "raw", "msg"),
    [
        (None, b"{not json", "not valid JSON"),
        ({"messages": []}, None, "non-empty list"),
        ({"messages": [{"role": "user"}]}, None, "messages[0]"),
        ({"messages": [{"role": "user", "content": "x"}], "max_tokens": 10**6}, None, "max_tokens"),
        ({"messages": [{"role": "user", "content": "x"}], "stream": True}, None, "stream"),
        ({"messages": [{"role": "user", "content": "x"}], "temperature": "hot"}, None, "temperature"),
        # issue 14: each of these used to close the connection or answer 500
        (None, b'{"messages": [{"role": "user", "content": "\xff\xfe"}]}', "not UTF-8"),
        (None, b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
        (None, b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 1e999999}', "finite number"),
        ({"messages": [{"role": "user", "content": "x"}], "n": 2, "temperature": 0}, None, "temperature"),
        ({"messages": [{"role": "user", "content": "x"}], "seed": 10**30}, None, "seed"),
        (None, b'{"messages": [{"role": "user", "content": "\\ud800"}]}', "lone surrogate"),
        ({"messages": [{"role": "user", "content": "x" * 200_000}]}, None, "prompt too long"),
        ({"messages": [{"role": "user", "content": "x" * 5000}]}, None, "context"),
    ],
)
def test_bad_requests_are_400_with_a_message(server, body, raw, msg):
    status, out = _post(server, body, raw)
    assert status == 400 and msg in out["error"]["message"]


def test_openai_client_against_it(server):
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=server + "/v1", api_key="EMPTY", max_retries=0)
    r = client.chat.completions.create(model="tiny-model", messages=[{"role": "user", "content": "hi"}], max_tokens=4)
    assert r.choices[0].message.role == "assistant"
    assert [m.id for m in client.models.list().data] == ["tiny-model"]
    with pytest.raises(openai.NotFoundError):
        client.post("/nope", cast_to=object, body={})


def test_stalled_body_gets_no_thread_forever_and_others_are_served(server, monkeypatch):
    """A client that announces a body and never sends it is dropped after the read timeout; meanwhile and
    afterwards ordinary requests are answered."""
    import socket
    import time

    from wenforge.serve import server as srv

    host, port = server.removeprefix("http://").split(":")
    stalled = []
    for _ in range(20):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
        stalled.append(s)
    t0 = time.time()
    status, _ = _post(server, {"messages": [{"role": "user", "content": "你好"}], "max_tokens": 2})
    assert status == 200 and time.time() - t0 < srv.READ_TIMEOUT_S
    s = stalled[0]
    s.settimeout(srv.READ_TIMEOUT_S + 10)
    assert s.recv(100) == b""  # the server closed it after the read timeout
    for s in stalled:
        s.close()


def test_busy_server_answers_503_with_back_pressure(tmp_path):
    from wenforge.lm.tiny import build_tiny_model
    from wenforge.serve.server import MAX_WAITING, ChatModel, GenParams, RequestError

    model = ChatModel(build_tiny_model(tmp_path / "tiny"), threads=1)
    for _ in range(MAX_WAITING):
        assert model.waiting.acquire(blocking=False)
    with pytest.raises(RequestError) as e:
        model.complete([{"role": "user", "content": "x"}], GenParams(2, 1.0, 1.0, 1, None, []))
    assert e.value.status == 503


def test_port_out_of_range_is_a_clear_error():
    from typer.testing import CliRunner

    from wenforge.cli import app

    res = CliRunner().invoke(app, ["serve", "some-model", "--port", "99999"])
    assert res.exit_code == 2
    assert "65535" in res.output and "--port" in res.output and "Traceback" not in res.output


def test_a_dearer_generation_yields_to_a_cheaper_one():
    """Issue 14: one maximal prompt must not multiply the latency of short requests beside it."""
    import time

    from wenforge.serve.server import YIELD_MAX_S, _CheapestFirst

    fair = _CheapestFirst()
    t0 = time.monotonic()
    fair.wait_for_cheaper(1000)
    assert time.monotonic() - t0 < YIELD_MAX_S / 2  # alone: no wait
    with fair.running(20):
        t0 = time.monotonic()
        fair.wait_for_cheaper(1000)  # a dearer one pauses while the cheap one runs
        assert time.monotonic() - t0 >= YIELD_MAX_S * 0.8
        t0 = time.monotonic()
        fair.wait_for_cheaper(10)  # a cheaper one never waits
        assert time.monotonic() - t0 < YIELD_MAX_S / 2
    assert not fair.cheaper_running(1000)
