"""Write the reference pages under docs/reference/ from the code itself: the CLI
from the typer app, the HTTP API from the service's OpenAPI document and its
routes, the service configuration and the rule-pack format from their pydantic
models (the rule page's examples are the commands' real output), and the exit
codes from the exception tree (tests/test_reference.py fails when a page is stale).

    python scripts/reference_docs.py            # writes docs/reference/*.md
    python scripts/reference_docs.py --out DIR  # somewhere else (the test)
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import re
import sys
import tempfile
import types
import typing
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
    names: set[str] = set()
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
    sections: list[tuple[str, type[BaseModel], str]] = [
        ("`guard:`", GuardConfig, "guard."),
        ("`webhooks:` (a list of endpoints)", WebhookEndpoint, "webhooks[]."),
        ("`webhook_delivery:`", WebhookDelivery, "webhook_delivery."),
        ("`telemetry:`", TelemetryConfig, "telemetry."),
    ]
    for title, model, prefix in sections:
        about = inspect.getdoc(model) or ""
        inherited = about == inspect.getdoc(BaseModel)
        out.append(f"\n## {title}\n\n" + ("" if inherited else _md(about) + "\n\n"))
        out.append(_table(model, prefix, {}))
    return "".join(out)


# --- the rule-pack format -------------------------------------------------------


def _rule_models() -> list[tuple[str, type[BaseModel]]]:
    from channelguard.guard.rules.model import Examples, Pack, Rule, RulePattern

    return [
        ("the top level of a pack file", Pack),
        ("each item of a pack's `rules`", Rule),
        ("each item of a rule's `patterns`", RulePattern),
        ("a rule's `examples`", Examples),
    ]


def _inner(annotation: Any) -> Any:
    """`X | None` -> X (unset is the default, said in its column)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return args[0] if len(args) == 1 else annotation
    return annotation


def _yaml_type(annotation: Any) -> str:
    """A field's type as a pack's author writes it in YAML."""
    annotation = _inner(annotation)
    if typing.get_origin(annotation) is tuple:
        item = _yaml_type(typing.get_args(annotation)[0])
        return "list of strings" if item == "string" else f"list of {item}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[`{annotation.__name__}`](#{annotation.__name__.lower()})"
    return "string"  # str, an enum, a Literal: every other field is text


def _enum(annotation: Any) -> list[str]:
    """The values an enum or Literal field allows; a rule names only the rule roles."""
    from channelguard.guard.rules.model import RULE_ROLES
    from channelguard.guard.types import Role

    annotation = _inner(annotation)
    if typing.get_origin(annotation) is tuple:
        return _enum(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is typing.Literal:
        return [str(v) for v in typing.get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, Role):
        return [r.value for r in RULE_ROLES]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(v.value) for v in annotation]
    return []


def _formats() -> dict[str, str]:
    """The format each item of a field has, checked by the Rule's validators."""
    from channelguard.guard.rules.model import ATLAS_ID, OWASP_ID

    return {"owasp": OWASP_ID, "atlas": ATLAS_ID}


def _allowed(name: str, field: Any) -> str:
    """What a value may be: its enum, its pattern, its least length, an item format."""
    said = []
    values = _enum(field.annotation)
    if values:
        said.append(", ".join(f"`{v}`" for v in values))
    for meta in field.metadata:
        if getattr(meta, "pattern", None):
            said.append(f"matches `{meta.pattern}`")
        if getattr(meta, "min_length", None) == 1:
            listed = typing.get_origin(_inner(field.annotation)) is tuple
            said.append("at least one" if listed else "not empty")
    if name in _formats():  # a regular expression with `|`: shown below the table
        said.append("each id in the format under *Checked*")
    return _md("; ".join(said)) or "-"


def _yaml_default(field: Any) -> str:
    if field.is_required():
        return "-"
    value = field.default
    if value is None:
        return "unset"
    if isinstance(value, BaseModel):
        return "`{}`" if value == type(value)() else f"`{value.model_dump()}`"
    if isinstance(value, tuple):
        return "`[]`" if not value else f"`{list(value)}`"
    if value == "":
        return '`""`'
    return f"`{value.value if isinstance(value, Enum) else value}`"


def _checks(model: type[BaseModel]) -> list[str]:
    """What the model's validators check, from their docstrings, each with its fields."""
    out = []
    decorators = model.__pydantic_decorators__
    for dec in decorators.field_validators.values():
        fields = ", ".join(f"`{f}`" for f in dec.info.fields)
        said = f"{fields}: {_md(inspect.getdoc(dec.func) or '')}"
        shapes = [_formats()[f] for f in dec.info.fields if f in _formats()]
        # not a table cell: the site's tables show an escaped `\|` in code as written
        out.append(said + "".join(f" The whole id matches `{shape}`." for shape in shapes))
    for after in decorators.model_validators.values():
        out.append(_md(inspect.getdoc(after.func) or ""))
    for name, member in vars(model).items():  # checks run on a valid model (Pack.id_issues)
        if name.endswith("_issues") and callable(member):
            out.append(_md(inspect.getdoc(member) or ""))
    return out


def _rule_table(model: type[BaseModel]) -> str:
    rows = [
        "| field | type | required | default | allowed values | what it is |",
        "|---|---|---|---|---|---|",
    ]
    for name, field in model.model_fields.items():
        rows.append(
            f"| `{name}` | {_yaml_type(field.annotation)} "
            f"| {'yes' if field.is_required() else 'no'} | {_yaml_default(field)} "
            f"| {_allowed(name, field)} | {_md(field.description or '')} |"
        )
    return "\n".join(rows) + "\n"


def _run(args: list[str], stdin: str | None = None, where: Path = ROOT) -> str:
    """`channelguard ARGS` run in `where`: a console block of the command and its output."""
    from typer.testing import CliRunner

    from channelguard.cli import app

    with contextlib.chdir(where):
        done = CliRunner().invoke(app, args, input=stdin)
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return done.stdout


def _edit(text: str, old: str, new: str) -> str:
    """One change to the example pack (it must still say `old`, once)."""
    if text.count(old) != 1:
        raise RuntimeError(f"examples/rules/acme.yaml no longer says {old!r} once")
    return text.replace(old, new)


def _worked_example() -> str:
    acme = (ROOT / "examples" / "rules" / "acme.yaml").read_text(encoding="utf-8")
    clean = _run(["rules", "lint", "examples/rules"])
    broken = _edit(acme, "severity: high", "severity: urgent")
    broken = _edit(broken, "roles: [user]", "roles: [customer]")
    missed = "Put the money back on my new card"
    missing = _edit(acme, "fire: [", f'fire: ["{missed}", ')
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "acme.yaml").write_text(broken, encoding="utf-8")
        wrong = _run(["rules", "lint", "acme.yaml"], where=Path(folder))
        (Path(folder) / "acme.yaml").write_text(missing, encoding="utf-8")
        failing = _run(["rules", "lint", "acme.yaml"], where=Path(folder))
    listed = _run(["rules", "list", "--rules", "examples/rules"])
    ours = "".join(line for line in listed.splitlines(keepends=True) if line.startswith("acme:"))
    message = "Please refund the premium to my new card instead"
    scan = ["scan", "-", "--detectors", "rules", "--encoder", "off", "--multilingual", "off"]
    scanned = _run([*scan, "--rules", "examples/rules"], stdin=message + "\n")
    return "".join(
        [
            "\n## Worked example\n\n",
            "`examples/rules/acme.yaml`, a pack of one rule:\n\n",
            f"```yaml\n{acme}```\n\n",
            "Check a pack before using it: `channelguard rules lint` lists every problem of "
            "every pack named (files or folders), then runs every rule's examples; exit 0 "
            "when there is none, 1 otherwise.\n\n",
            f"```console\n$ channelguard rules lint examples/rules\n{clean}```\n\n",
            "The same pack with `severity: urgent` and `roles: [customer]`:\n\n",
            f"```console\n$ channelguard rules lint acme.yaml\n{wrong}```\n\n",
            f'With its fields right but a `fire` example the pattern misses ("{missed}"):\n\n',
            f"```console\n$ channelguard rules lint acme.yaml\n{failing}```\n\n",
            "Your rules run beside the shipped ones (`rules list` shows every rule, on or off, "
            "and why a shipped one is off):\n\n",
            "```console\n$ channelguard rules list --rules examples/rules | grep acme:\n"
            f"{ours}```\n\n",
            "and a message that matches is a finding naming the rule, with its severity's "
            "score, its first OWASP id as the category and its first ATLAS id:\n\n",
            f'```console\n$ echo "{message}" | channelguard {" ".join(scan)} '
            f"--rules examples/rules\n{scanned}```\n",
        ]
    )


def rule_packs_page() -> str:
    import typer.main

    from channelguard.cli import app
    from channelguard.guard.detectors.rulepack import _RULE_ROLE
    from channelguard.guard.rules.model import RULE_ROLES, Pack, Severity
    from channelguard.guard.types import Role

    given = [  # the commands that take --rules
        f"`{' '.join(path)}`"
        for path, command in _commands(typer.main.get_command(app), ["channelguard"])
        if any("--rules" in getattr(p, "opts", []) for p in command.params)
    ]
    unknown = "Unknown keys are errors. " if Pack.model_config.get("extra") == "forbid" else ""
    out = [
        "# Rule-pack reference\n",
        HEAD,
        "A rule pack is a YAML file of rules that the `rules` detector runs beside the "
        "shipped packs ([Guard: rule packs](../guard.md#rule-packs-rules-as-data-agent-threat"
        "-rules-included)). Name your packs, files or folders (a folder's `*.yaml` and "
        f"`*.yml` files), with `--rules` on {', '.join(given[:-1])} and {given[-1]}, with `guard.rules` in the "
        "[service configuration](configuration.md), or as `Guard(rules=[...])` in Python; "
        "every rule of your packs runs. This page is written from the pydantic models in "
        "`src/channelguard/guard/rules/model.py`.\n\n",
        f"{unknown}Every problem is one line, `FILE:LINE: FIELD: WHAT`, the field a path "
        "such as `rules[0].patterns[1].regex`; a missing field reads `required key is "
        "missing`, a value outside its allowed values says which are. A pack with a "
        "problem does not load: the guard stops with that file's problems, and "
        "`channelguard rules lint` lists every file's ([worked example](#worked-example)).\n",
    ]
    for where, model in _rule_models():
        out.append(f"\n## {model.__name__}\n\n")
        out.append(f"{where[0].upper()}{where[1:]}. {_md(inspect.getdoc(model) or '')}\n\n")
        out.append(_rule_table(model))
        checks = _checks(model)
        if checks:
            out.append("\nChecked:\n\n" + "".join(f"- {c}\n" for c in checks))
    out.append(
        f"\n## Severity\n\n{_md(inspect.getdoc(Severity) or '')} "
        f"{_md(inspect.getdoc(vars(Severity)['score']) or '')}\n\n"
        "| severity | score |\n|---|---|\n"
    )
    out.extend(f"| `{s.value}` | {s.score} |\n" for s in Severity)
    out.append(
        "\n## Roles\n\nWhich messages a rule role reads (a message's `role`, "
        "[I/O formats](../spec/io-formats.md)):\n\n| rule role | messages |\n|---|---|\n"
    )
    for rule_role in RULE_ROLES:
        read = [m.value for m in Role if _RULE_ROLE.get(m) is rule_role]
        out.append(f"| `{rule_role.value}` | {', '.join(f'`{r}`' for r in read)} |\n")
    out.append(_worked_example())
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
    "rule-packs.md": rule_packs_page,
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
