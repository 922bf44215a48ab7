"""`channelguard incidents`, `keys` and `review --incidents` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import stix2
import yaml

from tests.conftest import action, base_model, path, run_cli


def _env(tmp_path: Path) -> dict[str, str]:
    return {"CHANNELGUARD_DATABASE_URL": f"sqlite:///{tmp_path / 'cg.db'}"}


def test_incidents_lifecycle_and_exit_codes(tmp_path: Path) -> None:
    env = _env(tmp_path)
    made = run_cli(
        "incidents",
        "create",
        "--title",
        "Agent read back a code",
        "--domain",
        "safety",
        "--cause",
        "accidental",
        "--harm-type",
        "personal_data_leak",
        "--severity",
        "high",
        "--format",
        "json",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["lead"] == "legal"
    changed = run_cli(
        "incidents",
        "update",
        "1",
        "--version",
        "1",
        "--status",
        "triaged",
        "--owner",
        "legal=Lee",
        "--step",
        "contain_output",
        "--format",
        "json",
        env=env,
    )
    body = json.loads(changed.stdout)
    assert body["version"] == 3 and body["owners"] == {"legal": "Lee"}  # the step is a write
    assert next(s for s in body["steps"] if s["step"] == "contain_output")["state"] == "done"
    stale = run_cli("incidents", "update", "1", "--version", "1", "--status", "closed", env=env)
    assert stale.returncode == 5 and "changed since version 1" in stale.stderr
    assert run_cli("incidents", "show", "9", env=env).returncode == 4
    zero = run_cli("incidents", "update", "1", "--version", "0", env=env)
    assert (
        zero.returncode == 2
        and "--version: Input should be greater than or equal to 1" in zero.stderr
    )
    leaked = run_cli(
        "incidents",
        "update",
        "1",
        "--version",
        "3",
        "--compromised",
        "otp_sms:all",
        "--format",
        "json",
        env=env,
    )
    assert json.loads(leaked.stdout)["compromised"][0] | {"attacker_cost_usd": 0} == {
        "factor": "otp_sms",
        "scope": "all",
        "attacker_cost_usd": 0,
        "note": "",
    }
    bad_scope = run_cli(
        "incidents", "update", "1", "--version", "4", "--compromised", "otp_sms:most", env=env
    )
    assert bad_scope.returncode == 2 and "scope" in bad_scope.stderr
    bad = run_cli("incidents", "list", "--severity", "huge", env=env)
    assert bad.returncode == 2 and "--severity: 'huge'" in bad.stderr
    shown = run_cli("incidents", "show", "1", env={**env, "COLUMNS": "200"})
    assert (
        "lead: legal (Lee)" in shown.stdout and "Notify the supervisory authority" in shown.stdout
    )
    listed = json.loads(
        run_cli("incidents", "list", "--status", "triaged", "--format", "json", env=env).stdout
    )
    assert listed["total"] == 1


def test_create_from_a_file_names_every_bad_line(tmp_path: Path) -> None:
    (tmp_path / "i.yaml").write_text(
        "title: x\ndomain: security\ncause: adversarial\n"
        "harm_type: account_takeover\nseverity: high\n"
        "atlas: [AML.T9999]\ncolour: red\n"
    )
    out = run_cli("incidents", "create", "--file", str(tmp_path / "i.yaml"), env=_env(tmp_path))
    assert out.returncode == 2
    assert "i.yaml:6: atlas[0]" in out.stderr and "i.yaml:7: colour: unknown key" in out.stderr


def test_export_stix_and_keys(tmp_path: Path) -> None:
    env = _env(tmp_path)
    run_cli(
        "incidents",
        "create",
        "--title",
        "ATO",
        "--domain",
        "security",
        "--cause",
        "adversarial",
        "--harm-type",
        "account_takeover",
        "--severity",
        "high",
        env=env,
    )
    out = run_cli(
        "incidents", "export", "--format", "stix", "-o", str(tmp_path / "b.json"), env=env
    )
    assert out.returncode == 0 and "wrote" in out.stderr
    bundle = stix2.parse((tmp_path / "b.json").read_text())
    assert any(o.type == "incident" and o.name == "ATO" for o in bundle.objects)
    key = run_cli("keys", "create", "--scopes", "ingest,read", env=env)
    assert key.returncode == 0 and key.stdout.startswith("cg_")
    listed = json.loads(run_cli("keys", "list", env=env).stdout)
    assert listed[0]["scopes"] == ["ingest", "read"] and key.stdout.strip() not in json.dumps(
        listed
    )
    assert run_cli("keys", "create", "--scopes", "root", env=env).returncode == 2
    assert run_cli("keys", "revoke", "1", env=env).returncode == 0
    assert json.loads(run_cli("keys", "list", env=env).stdout)[0]["revoked_at"]


def test_review_incidents_shows_what_a_safety_failure_exposed(tmp_path: Path) -> None:
    env = _env(tmp_path)
    model = base_model(
        factors={
            "secret_word": {
                "label": "Secret word",
                "attacker_cost_usd": 5000,
                "attacker_minutes": 600,
                "success_probability": 0.05,
                "source": "test",
            }
        },
        actions=[
            action("reset_password", [path("word", ["secret_word"])], impact=20000),
            action("info", [path("open", ["secret_word"])], tier="T1", impact=0.5),
        ],
    )
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(model))
    before = json.loads(
        run_cli(
            "review", str(tmp_path / "m.yaml"), "--incidents", "--format", "json", env=env
        ).stdout
    )
    assert before["compromised"] == [] and before["newly_exposed"] == []
    (tmp_path / "leak.yaml").write_text(
        "title: Agent told a caller the secret word\ndomain: both\n"
        "domain_reason: a leak that makes impersonation cheap\ncause: accidental\n"
        "harm_type: personal_data_leak\nseverity: high\n"
        "compromised: [{factor: secret_word, scope: all}, {factor: otp_sms}]\n"
    )
    assert (
        run_cli("incidents", "create", "--file", str(tmp_path / "leak.yaml"), env=env).returncode
        == 0
    )
    after = json.loads(
        run_cli(
            "review", str(tmp_path / "m.yaml"), "--incidents", "--format", "json", env=env
        ).stdout
    )
    assert after["newly_exposed"] == ["reset_password"]
    row = next(r for r in after["actions"] if r["action"] == "reset_password")
    assert row["expected_cost_before"] > 20000 > row["expected_cost_after"]
    assert any("otp_sms" in n for n in after["notes"])
    table = run_cli("review", str(tmp_path / "m.yaml"), "--incidents", env=env)
    assert "NEWLY EXPOSED" in table.stdout


def test_keys_with_an_expiry_and_a_retention_purge_from_the_cli(tmp_path: Path) -> None:
    env = _env(tmp_path)
    made = run_cli(
        "keys", "create", "--scopes", "read", "--expires-in-days", "30", "--label", "x", env=env
    )
    assert made.returncode == 0 and made.stdout.startswith("cg_") and "expires" in made.stderr
    listed = json.loads(run_cli("keys", "list", env=env).stdout)
    assert listed[0]["expires_at"] and listed[0]["usable"] is True
    never = run_cli("keys", "create", "--scopes", "read", "--expires-in-days", "0", env=env)
    assert never.returncode == 2 and "--expires-in-days" in never.stderr

    dry = run_cli("data", "purge", "--older-than-days", "30", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["dry_run"] is True and report["events"]["purged"] == 0
    short = run_cli("data", "purge", "--older-than-days", "0.1", env=env)
    assert short.returncode == 2 and "Traceback" not in short.stderr


def test_show_timeline_gives_who_and_old_and_new_and_never_more_than_is_stored(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    made = run_cli(
        "incidents",
        "create",
        "--title",
        "Caller jane.doe@example.com got a wire",
        "--domain",
        "security",
        "--cause",
        "adversarial",
        "--harm-type",
        "executive_payment_fraud",
        "--severity",
        "high",
        "--actor",
        "alice",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    changed = run_cli(
        "incidents",
        "update",
        "1",
        "--version",
        "1",
        "--status",
        "triaged",
        "--note",
        "card 4111 1111 1111 1111 confirmed",
        "--actor",
        "bob",
        env=env,
    )
    assert changed.returncode == 0, changed.stderr
    trail = run_cli("incidents", "show", "1", "--timeline", env=env)
    assert trail.returncode == 0, trail.stderr
    assert "alice: created" in trail.stdout
    assert "bob: changed status: card [CARD_NUMBER] confirmed" in trail.stdout
    assert "status: open -> triaged" in trail.stdout
    as_json = json.loads(
        run_cli("incidents", "show", "1", "--timeline", "-f", "json", env=env).stdout
    )
    assert as_json["timeline"][1]["changes"]["status"] == {"old": "open", "new": "triaged"}
    shown = [
        trail.stdout,
        run_cli("incidents", "show", "1", env=env).stdout,
        run_cli("incidents", "list", env=env).stdout,
        run_cli("incidents", "export", "--format", "md", env=env).stdout,
        run_cli("incidents", "export", "--format", "csv", env=env).stdout,
    ]
    for text in shown:
        assert "jane.doe" not in text and "4111 1111" not in text
    # the Markdown export escapes brackets (\[EMAIL\]): read it as rendered
    unescaped = [text.replace("\\[", "[").replace("\\]", "]") for text in shown[1:]]
    assert all("[EMAIL]" in text for text in unescaped)


def test_keys_belong_to_a_tenant_and_only_admin_keys_may_be_global(tmp_path: Path) -> None:
    env = {"CHANNELGUARD_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"}
    plain = run_cli("keys", "create", "--scopes", "ingest", env=env)
    assert plain.returncode == 0 and "tenant default" in plain.stderr
    theirs = run_cli("keys", "create", "--scopes", "ingest,read", "--tenant", "bank-b", env=env)
    assert theirs.returncode == 0 and "tenant bank-b" in theirs.stderr
    overall = run_cli("keys", "create", "--scopes", "admin", "--all-tenants", env=env)
    assert overall.returncode == 0 and "all tenants" in overall.stderr
    refused = run_cli("keys", "create", "--scopes", "ingest", "--all-tenants", env=env)
    assert refused.returncode == 2 and "only an admin key may be global" in refused.stderr
    odd = run_cli("keys", "create", "--scopes", "read", "--tenant", "Bank B/../x", env=env)
    assert odd.returncode == 2 and "tenant" in odd.stderr and "Traceback" not in odd.stderr
    listed = json.loads(run_cli("keys", "list", env=env).stdout)
    assert [k["tenant"] for k in listed] == ["default", "bank-b", None]
