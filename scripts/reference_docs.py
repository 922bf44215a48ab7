"""Write the reference pages under docs/reference/ from the code itself: the CLI
from the typer app, the HTTP API from the service's OpenAPI document and its
routes, the service configuration from its pydantic models, and the exit codes
from the exception tree (tests/test_reference.py fails when a page is stale).

    python scripts/reference_docs.py            # writes docs/reference/*.md
    python scripts/reference_docs.py --out DIR  # somewhere else (the test)
"""

from __future__ import annotations

import argparse
import ast
import inspect
import re
import sys
import tempfile
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from channelguard.errors import ChannelGuardError, run_script

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "reference"
HEAD = "<!-- written by scripts/reference_docs.py: edit the code, then run it -->\n\n"

# exit codes that are no error class's: where each is raised
OTHER_EXITS = [
    ("0", "Success; for a check, nothing found."),
    (
        "1",
        "A check found what it looks for: `review --fail-on-exposed` with an exposed "
        "action, an `exercise` scenario that did not pass, a `rules lint` problem, "
        "a `canary` change.",
    ),
    (
        "1-125",
        "`scan`, `decide` and `guard feedback --file`: the number of unusable input "
        "lines (capped at 125; each has its own error line); the rest were processed.",
    ),
    ("2", "A usage error click reports (an unknown option, a missing argument)."),
    ("70", "An internal error (a bug): one line; `CHANNELGUARD_DEBUG=1` shows the traceback."),
    ("141", "The reader of the output stopped early (`… | head`): ended by SIGPIPE, quietly."),
]


def _md(text: str) -> str:
    """A table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


# --- the CLI -------------------------------------------------------------------


def _commands(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            yield from _commands(sub, [*path, name])


def _without_default(text: str) -> str:
    """Click's help with its `[default: X]` taken out (the table has a column for it)."""
    m = re.search(r"\s*\[([^\[\]]*)\]$", text)  # only Click's trailing bracket
    if m is None:
        return text.strip()
    rest = re.sub(r"(default: [^;]*|required)(; )?", "", m.group(1)).strip("; ")
    return (text[: m.start()] + (f" [{rest}]" if rest else "")).strip()


def _default(param: Any) -> str:
    if param.required:
        return "required"
    value = param.default
    if getattr(param, "is_flag", False) and getattr(param, "is_bool_flag", False):
        if param.secondary_opts:
            return f"`{param.opts[-1] if value else param.secondary_opts[-1]}`"
        return "off" if not value else "on"
    if value is None or value == () or value == []:
        return "-"
    if value == "":
        return "empty"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v.value if isinstance(v, Enum) else v) for v in value)
    return f"`{value}`"


def cli_page() -> str:
    import typer.main

    from channelguard.cli import app

    root = typer.main.get_command(app)
    out = [
        "# CLI reference\n",
        HEAD,
        "Every command of `channelguard`, with each argument and option, its default "
        "and its help, as `channelguard COMMAND --help` prints them (a default of `-`: "
        "not set; the description says what happens then). Errors are one line and an "
        "[exit code](exit-codes.md).\n",
    ]
    for path, command in _commands(root, ["channelguard"]):
        ctx = command.make_context(path[-1], [], resilient_parsing=True)
        out.append(f"\n## `{' '.join(path)}`\n\n")
        out.append(inspect.cleandoc(command.help or "").strip() + "\n")
        pieces = " ".join(command.collect_usage_pieces(ctx))
        out.append(f"\n```\n{' '.join(path)} {pieces}\n```\n")
        if hasattr(command, "commands"):
            subs = [f"`{n}`" for n, c in command.commands.items() if not c.hidden]
            out.append(f"\nCommands: {', '.join(subs)}.\n")
        rows = []
        for param in command.params:
            record = param.get_help_record(ctx)
            if record is None:
                continue
            name, text = record
            text = _without_default(text)
            rows.append(f"| `{_md(name)}` | {_md(text) or '-'} | {_md(_default(param))} |")
        if rows:
            out.append("\n| argument or option | description | default |\n|---|---|---|\n")
            out.append("\n".join(rows) + "\n")
    return "".join(out)


# --- the HTTP API ---------------------------------------------------------------


def _app(folder: Path) -> tuple[Any, Any]:
    """The app over a service started on a throwaway register (stop the service)."""
    from channelguard.serve import Service, ServiceConfig, create_app

    config = ServiceConfig.load(
        model=ROOT / "examples" / "bank.yaml",
        database_url=f"sqlite:///{folder / 'reference.db'}",
        claimed_identities="plain",
    )
    service = Service(config).start()
    return create_app(service), service


def _routes(app: Any) -> list[Any]:
    """Every route, those of included routers too (FastAPI includes them lazily)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # an older FastAPI: included routes are plain routes
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def _scopes(dependant: Any) -> list[str]:
    """The scopes `serve.auth.require(scope)` checks on a route (its dependencies)."""
    found = []
    for dep in dependant.dependencies:
        call = dep.call
        if getattr(call, "__qualname__", "") == "require.<locals>.check":
            found.append(str(inspect.getclosurevars(call).nonlocals["scope"]))
        found.extend(_scopes(dep))
    return found


def _model(schema: dict[str, Any] | None) -> str:
    if not schema:
        return "-"
    if "anyOf" in schema:
        return " or ".join(_model(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "$ref" in schema:
        return f"`{schema['$ref'].rsplit('/', 1)[-1]}`"
    if schema.get("type") == "array" and "items" in schema:
        return f"list of {_model(schema['items'])}"
    return f"`{schema.get('type', 'object')}`"


def _about(op: dict[str, Any]) -> str:
    """The route's docstring's first paragraph (FastAPI's description), else its summary."""
    return str(op.get("description") or op.get("summary", "")).split("\n\n")[0]


def _who(dependant: Any) -> str:
    """Who may use a dashboard or docs route, from its dependencies' names."""
    names = set()
    stack = [dependant]
    while stack:
        dep = stack.pop()
        names.update(getattr(d.call, "__name__", "") for d in dep.dependencies)
        stack.extend(dep.dependencies)
    if "editor" in names:
        return "signed in with an admin key; CSRF token"
    if "signed_in" in names:
        return "signed in (a read key)"
    return "anyone (per-address limit)" if "anonymous" in names else "anyone"


def _body(op: dict[str, Any]) -> str:
    content = op.get("requestBody", {}).get("content", {})
    return ", ".join(f"{_model(c.get('schema'))} ({t})" for t, c in content.items()) or "-"


def _answers(op: dict[str, Any]) -> str:
    good = []
    for code, answer in sorted(op.get("responses", {}).items()):
        if not code.startswith("2"):
            continue
        types = answer.get("content", {})
        shown = ", ".join(f"{_model(c.get('schema'))} ({t})" for t, c in types.items()) or "-"
        good.append(f"{code}: {shown}")
    return "; ".join(good) or "-"


def api_page() -> str:
    with tempfile.TemporaryDirectory() as folder:
        app, service = _app(Path(folder))
        try:
            spec = app.openapi()
        finally:
            service.stop()
    scopes: dict[tuple[str, str], list[str]] = {}
    hidden = []
    for route in _routes(app):
        methods = sorted(getattr(route, "methods", None) or [])
        dependant = getattr(route, "dependant", None)
        for method in methods:
            key = (method.lower(), route.path)
            scopes[key] = _scopes(dependant) if dependant is not None else []
        if not getattr(route, "include_in_schema", True) and methods:
            who = _who(dependant) if dependant is not None else "anyone"
            hidden.append((route.path, "/".join(m for m in methods if m != "HEAD"), who))
    out = [
        "# HTTP API reference\n",
        HEAD,
        f"From the service's OpenAPI document ({spec['info']['title']} "
        f"{spec['openapi']}; the running service serves it at `/openapi.json` and "
        "[`/docs`](../service.md), from the package's own assets). Every route but "
        "`/healthz` needs an API key (`Authorization: Bearer KEY`, `channelguard keys "
        "create`) with the scope shown; an `admin` key holds every scope. Every error "
        "is one JSON shape, `ErrorOut`.\n\n",
        "| method | path | scope | summary | request body | answer |\n",
        "|---|---|---|---|---|---|\n",
    ]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            scope = ", ".join(scopes.get((method, path), [])) or "none"
            out.append(
                f"| {method.upper()} | `{path}` | {scope} | {_md(_about(op))} "
                f"| {_body(op)} | {_md(_answers(op))} |\n"
            )
    out.append("\n## Models\n\n| model | fields |\n|---|---|\n")
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        fields = ", ".join(f"`{f}`" for f in schema.get("properties", {})) or "-"
        out.append(f"| `{name}` | {fields} |\n")
    out.append(
        "\n## Routes outside the OpenAPI document\n\nThe documentation itself and the "
        "[dashboard](../dashboard.md) (signed in with a key at `/ui/login`, a session "
        "cookie after that; every write carries a CSRF token).\n\n"
        "| method | path | who |\n|---|---|---|\n"
    )
    out.extend(f"| {m} | `{p}` | {who} |\n" for p, m, who in hidden)
    return "".join(out)


# --- the service configuration ------------------------------------------------


def _comments(model: type[BaseModel]) -> dict[str, str]:
    """Each field's comment in the model's source: on its line, or the lines above."""
    lines, _ = inspect.getsourcelines(model)
    tree = ast.parse(inspect.cleandoc("".join(lines)) if lines[0][0] == " " else "".join(lines))
    text = [line.strip() for line in lines]
    found: dict[str, str] = {}
    for node in tree.body[0].body:  # type: ignore[attr-defined]
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        at = node.lineno - 1
        said = [text[at].split("  # ", 1)[1]] if "  # " in text[at] else []
        said = [c for c in said if not c.startswith(("type:", "noqa", "fmt:"))]
        above = at - 1
        while above >= 0 and text[above].startswith("#"):
            said.insert(0, text[above].lstrip("# "))
            above -= 1
        found[node.target.id] = " ".join(said)
    return found


def _type(annotation: Any) -> str:
    shown = str(annotation)
    if isinstance(annotation, type) and "[" not in shown:
        shown = annotation.__name__
    return re.sub(r"(?<!')\b(?:[a-z_]+\.)+(?=[A-Z])", "", shown)


def _field_default(field: Any) -> str:
    if field.default is not PydanticUndefined:
        value = field.default
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, tuple):
            value = list(value)
        return "-" if value is None else f"`{value}`"
    if field.default_factory is not None:
        doc = inspect.getdoc(field.default_factory)
        return _md(doc.split("\n")[0]) if doc else "see below"
    return "required"


def _table(model: type[BaseModel], prefix: str, env: dict[str, str]) -> str:
    notes = _comments(model)
    rows = ["| field | type | default | environment | what it is |", "|---|---|---|---|---|"]
    for name, field in model.model_fields.items():
        rows.append(
            f"| `{prefix}{name}` | `{_md(_type(field.annotation))}` | {_field_default(field)} "
            f"| {'`' + env[name] + '`' if name in env else '-'} | {_md(notes.get(name, ''))} |"
        )
    return "\n".join(rows) + "\n"


def config_page() -> str:
    from channelguard.serve.config import ENV, GuardConfig, ServiceConfig
    from channelguard.serve.telemetry import TelemetryConfig
    from channelguard.serve.webhooks.config import WebhookDelivery, WebhookEndpoint

    env = {field: var for var, field in ENV.items()}
    doc = inspect.getdoc(sys.modules[ServiceConfig.__module__]) or ""
    out = [
        "# Configuration reference\n",
        HEAD,
        "The service (`channelguard serve --config FILE`) reads a YAML file of these "
        "fields, then the environment (which overrides the file), then the command's "
        "options. An unknown field, or a value out of range, stops start-up with a "
        "message naming it.\n\n",
        doc.split("\n\n", 2)[2] + "\n\n" if doc.count("\n\n") >= 2 else "",
        "## Service\n\n",
        _table(ServiceConfig, "", env),
    ]
    for title, model, prefix in [
        ("`guard:`", GuardConfig, "guard."),
        ("`webhooks:` (a list of endpoints)", WebhookEndpoint, "webhooks[]."),
        ("`webhook_delivery:`", WebhookDelivery, "webhook_delivery."),
        ("`telemetry:`", TelemetryConfig, "telemetry."),
    ]:
        about = inspect.getdoc(model) or ""
        inherited = about == inspect.getdoc(BaseModel)
        out.append(f"\n## {title}\n\n" + ("" if inherited else _md(about) + "\n\n"))
        out.append(_table(model, prefix, {}))
    return "".join(out)


# --- exit codes -----------------------------------------------------------------


def _errors(cls: type[ChannelGuardError]) -> Iterator[type[ChannelGuardError]]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _errors(sub)


def exit_codes() -> dict[str, list[str]]:
    """Exit code -> what it means: the error classes (errors.py) and the rest."""
    codes: dict[str, list[str]] = {}
    for code, what in OTHER_EXITS:
        codes.setdefault(code, []).append(what)
    for cls in _errors(ChannelGuardError):
        if cls.__module__ != "channelguard.errors":
            continue
        doc = (inspect.getdoc(cls) or "").split("\n\n")[0]
        codes.setdefault(str(cls.exit_code), []).append(f"`{cls.__name__}`: {_md(doc)}")
    return codes


def exits_page() -> str:
    out = [
        "# Exit codes\n",
        HEAD,
        "Every `channelguard` command ends with one of these; an error is one line on "
        "stderr naming the file, line or field (never a traceback).\n\n",
        "| code | meaning |\n|---|---|\n",
    ]
    order = sorted(exit_codes().items(), key=lambda kv: int(kv[0].split("-")[0]))
    out.extend(f"| {code} | {'<br>'.join(what)} |\n" for code, what in order)
    return "".join(out)


PAGES = {
    "cli.md": cli_page,
    "api.md": api_page,
    "configuration.md": config_page,
    "exit-codes.md": exits_page,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the pages in")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:  # no user's environment in the pages
        import os

        os.environ.pop("CHANNELGUARD_DATABASE_URL", None)
        os.environ["XDG_DATA_HOME"] = home
        for name, page in PAGES.items():
            (out / name).write_text(page(), encoding="utf-8")
            print(out / name)


if __name__ == "__main__":
    run_script(main)
