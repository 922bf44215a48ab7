"""Fuzz every entry point with hypothesis for a fixed number of examples; print JSON.

Entry points: channel models (structured, valid and broken; lint, load, review
with the plan), raw text as a YAML model, event streams into `decide`, raw
lines into `decide`, JSONL lines into `scan`, hostile HTTP bodies into the
service's write routes (`http`: deep nesting, duplicate keys, markup, control
characters, over-long names; never a 500, always the one error shape) and
hostile text into every way an incident is shown (`render`: no Markdown or
HTML structure, no terminal control sequence comes from the text). A failure is any exception
other than the documented ones (ChannelGuardError) or a broken invariant
(tests/hardening/checks.py); an input slower than --max-seconds counts as a
hang. Inputs come from generators, not from data the code was shaped on.

    python bench/fuzz.py [--examples 10000] [--entry model events scan ...] [--seed 1]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from channelguard.decide.session import Decider
from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_data, load_file
from channelguard.model.yamlsource import parse_yaml
from channelguard.runtime.replay import decide_stream
from tests.hardening.checks import (
    check_events,
    check_model,
    check_scan,
    expected_error,
)
from tests.hardening.strategies import events, jsonl_lines, models

BANK = load_file(ROOT / "examples" / "bank.yaml")


def _yaml_text(text: str) -> None:
    doc = parse_yaml(text, "fuzz.yaml")
    if not doc.issues and isinstance(doc.data, dict):
        load_data(doc.data, "fuzz.yaml")  # a ModelError is the documented answer


def _raw_events(guard: Guard, text: str) -> None:
    sink = io.StringIO()
    decide_stream(Decider(BANK, guard), io.StringIO(text), sink)
    for line in sink.getvalue().splitlines():
        record = json.loads(line)
        assert "internal error" not in str(record.get("error", "")), record


HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "# h\n[x](https://e.example) <script>1</script> | c |",
            "[bold]x[/] [link=https://e.example]y[/link] [/]",
            "\x1b]8;;https://e.example\x07z\x1b]8;;\x07 \x1b[2J\x9b1m\x00",
            "c" * 201,
            "1. x\n- y\n> z\n===",
            "\u202eevil\ud800",
        ]
    ),
)
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), HOSTILE),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(HOSTILE, inner, max_size=4)
    ),
    max_leaves=20,
)


CLIENTS: list[Any] = []


def http_client() -> Any:
    """One service for the run, started before the first `http` example is timed."""
    if not CLIENTS:
        CLIENTS.append(_start_service())
    return CLIENTS[0]


def _start_service() -> Any:
    import tempfile

    from fastapi.testclient import TestClient

    from channelguard.serve import Service, ServiceConfig, create_app

    folder = tempfile.mkdtemp(prefix="cg-fuzz-")
    service = Service(
        ServiceConfig.load(
            model=ROOT / "examples" / "bank.yaml",
            database_url=f"sqlite:///{folder}/fuzz.db",
            rate_limit_per_second=0,
            anonymous_rate_limit_per_second=0,
        )
    ).start()
    key = service.keys.create(["admin"])[1]
    client = TestClient(create_app(service), raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {key}"
    return client


@st.composite
def _http_requests(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(
        st.sampled_from(
            ["/v1/scan", "/v1/sessions/s/events", "/v1/incidents", "/v1/incidents/1/evidence"]
        )
    )
    shaped: dict[str, Any] = {
        "/v1/scan": {"messages": [{"text": draw(HOSTILE)}]},
        "/v1/sessions/s/events": {
            "events": [
                {"type": "message", "channel": draw(HOSTILE), "text": draw(HOSTILE),
                 "claimed_identity": draw(HOSTILE)},
                {"type": "action_request", "action": draw(st.sampled_from(
                    ["wire_transfer", "add_payee"])), "claimed_identity": draw(HOSTILE)},
            ]
        },
        "/v1/incidents": {"title": draw(HOSTILE), "domain": "security", "cause": "adversarial",
                          "harm_type": "account_takeover", "severity": "high",
                          "summary": draw(HOSTILE)},
        "/v1/incidents/1/evidence": {"kind": "note", "body": draw(JSON)},
    }  # fmt: skip
    body = json.dumps(draw(st.one_of(st.just(shaped[path]), JSON)))
    depth = draw(st.integers(0, 200))
    mangle = draw(st.sampled_from(["none", "deep", "duplicate"]))
    if mangle == "deep":
        body = '{"x": ' + "[" * depth + "1" + "]" * depth + "}"
    elif mangle == "duplicate" and body.startswith("{") and len(body) > 2:
        body = '{"a": 1, "a": 2, ' + body[1:]
    return path, body.encode("utf-8", "surrogatepass")


def _http(client: Any, request: tuple[str, bytes]) -> None:
    path, raw = request
    r = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert r.status_code < 500, (path, r.status_code, r.text[:300])
    if r.status_code >= 400:
        error = r.json()["error"]
        assert error["status"] == r.status_code and error["message"], r.text[:300]
        assert "Traceback" not in r.text and len(r.content) < 20_000


def _render(text: str) -> None:
    from markdown_it import MarkdownIt
    from rich.console import Console

    from channelguard.escape import terminal
    from channelguard.register.export import export_incidents

    incident = {
        "id": 1, "title": text or "t", "severity": "high", "status": "open",
        "domain": "security", "domain_reason": text, "cause": "adversarial",
        "lead": "security", "owners": {"security": text}, "playbook": text,
        "detected_at": text, "failed_control": {"channel": text, "action": text},
        "owasp": [], "atlas": [], "summary": text, "clocks": [],
        "steps": [{"do": text, "role": text, "due_at": text, "state": text, "done_by": text}],
        "compromised": [{"factor": text, "scope": text}],
        "links": [{"from": 1, "to": 2, "type": text}],
        "timeline": [{"at": text, "actor": text, "what": text}],
    }  # fmt: skip
    md = export_incidents([incident], "md")
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)
    children = [c.type for t in tokens for c in (t.children or [])]
    assert not {"html_inline", "link_open", "image"} & set(children), md
    assert not any(t.type == "html_block" for t in tokens), md
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1, md
    console = Console(
        file=io.StringIO(), record=True, width=120, force_terminal=True, color_system="truecolor"
    )
    console.print(terminal(text))
    out = console.export_text(styles=True)
    assert "\x1b]" not in out and not any(c in out for c in "\x00\x07\x9b\x9d"), repr(out)


def _entries(guard: Guard) -> dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]]:
    def stream(data: Any) -> None:
        loaded, evs = data
        if loaded is not None:
            check_events(loaded, guard, evs)

    @st.composite
    def model_and_events(draw: st.DrawFn) -> tuple[Any, list[dict[str, Any]]]:
        loaded = check_model(draw(models(valid_only=True)), plan=False)
        if loaded is None:
            return None, []
        acts = [a.id for a in loaded.model.actions]
        chans = [c.id for c in loaded.model.channels]
        return loaded, draw(st.lists(events(acts, chans), max_size=25))

    return {
        "model": (models(), lambda d: check_model(d)),
        "yaml_text": (st.text(max_size=400), _yaml_text),
        "events": (model_and_events(), stream),
        "event_lines": (
            st.lists(st.one_of(jsonl_lines(), st.text(max_size=80)), max_size=10).map(
                lambda xs: "\n".join(x.replace("\n", " ") for x in xs)
            ),
            lambda text: _raw_events(guard, text),
        ),
        "scan": (st.lists(jsonl_lines(), max_size=12), lambda lines: check_scan(guard, lines)),
        "http": (_http_requests(), lambda request: _http(http_client(), request)),
        "render": (HOSTILE, _render),
    }


def run_entry(
    name: str, strategy: st.SearchStrategy[Any], check: Callable[[Any], None], n: int, limit: float
) -> dict[str, Any]:
    stats: dict[str, Any] = {"examples": 0, "failures": 0, "hangs": 0, "slowest_s": 0.0}
    failures: list[str] = []
    slowest: list[Any] = [None]

    @seed(ARGS.seed)
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(strategy)
    def run(value: Any) -> None:
        stats["examples"] += 1
        t = time.perf_counter()
        try:
            check(value)
        except Exception as exc:
            if not expected_error(exc):
                stats["failures"] += 1
                if len(failures) < 3:
                    failures.append("".join(traceback.format_exception_only(exc)).strip()[:500])
        took = time.perf_counter() - t
        if took > limit:
            stats["hangs"] += 1
        if took > stats["slowest_s"]:
            stats["slowest_s"] = round(took, 3)
            slowest[0] = value

    t0 = time.perf_counter()
    run()
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    stats["peak_rss_mb_so_far"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    stats["first_failures"] = failures
    stats["slowest_input"] = repr(slowest[0])[:300]
    return stats


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--entry", nargs="*", default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    ARGS = parser.parse_args()
    guard = Guard().load()
    entries = _entries(guard)
    chosen = ARGS.entry or list(entries)
    result: dict[str, Any] = {"benchmark": "fuzz", "examples_per_entry": ARGS.examples}
    if "http" in chosen:
        http_client()
    for name in chosen:
        strategy, check = entries[name]
        result[name] = run_entry(name, strategy, check, ARGS.examples, ARGS.max_seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_rss_mb"] = round(peak_mb, 1)
    result["total_failures"] = sum(result[n]["failures"] for n in chosen)
    result["total_hangs"] = sum(result[n]["hangs"] for n in chosen)
    print(json.dumps(result, indent=2))


ARGS = argparse.Namespace(seed=1)

if __name__ == "__main__":
    run_script(main)
