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
    from wenforge.serve.server import ChatModel, make_server
    from wenforge.serve.tiny import build_tiny_model

    path = build_tiny_model(tmp_path_factory.mktemp("tiny") / "tiny-llama")
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
    assert data["data"][0]["id"] == "tiny-llama"
    status, out = _post(server, {"model": "tiny-llama", "messages": [{"role": "user", "content": "你好"}],
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
    ],
)
def test_bad_requests_are_400_with_a_message(server, body, raw, msg):
    status, out = _post(server, body, raw)
    assert status == 400 and msg in out["error"]["message"]


def test_openai_client_against_it(server):
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=server + "/v1", api_key="EMPTY", max_retries=0)
    r = client.chat.completions.create(model="tiny-llama", messages=[{"role": "user", "content": "hi"}], max_tokens=4)
    assert r.choices[0].message.role == "assistant"
    assert [m.id for m in client.models.list().data] == ["tiny-llama"]
    with pytest.raises(openai.NotFoundError):
        client.post("/nope", cast_to=object, body={})
