"""Sign-in, sessions, CSRF, scopes and tenants of the dashboard, through the app
(TestClient) on SQLite and PostgreSQL: what an attacker sends as well as a user."""

from __future__ import annotations

import pytest

from channelguard.serve.ui.session import COOKIE, SessionSigner
from tests.ui.conftest import Ui, csrf_of, sign_in

PAGES = ["/ui", "/ui/graph", "/ui/plan", "/ui/incidents", "/ui/incidents/1", "/ui/runtime",
         "/ui/drift", "/ui/graph/actions/wire_transfer"]  # fmt: skip


def test_every_page_redirects_to_the_login_when_signed_out(ui: Ui) -> None:
    for page in PAGES:
        answer = ui.client.get(page, follow_redirects=False)
        assert answer.status_code == 303, page
        assert answer.headers["location"] == "/ui/login"
    login = ui.client.get("/ui/login")
    assert login.status_code == 200 and 'name="key"' in login.text


def test_a_session_cookie_is_httponly_strict_and_ends(ui: Ui) -> None:
    answer = ui.client.post("/ui/login", data={"key": ui.keys["read"]}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    flags = {f.strip().split("=")[0].lower() for f in cookie.split(";")}
    assert {"httponly", "max-age", "path"} <= flags
    assert "samesite=strict" in cookie.lower()
    assert "secure" not in flags  # plain http on loopback: a Secure cookie would not come back
    assert ui.keys["read"] not in cookie  # the key itself never leaves in the cookie


def test_the_cookie_is_secure_over_https(ui: Ui) -> None:
    ui.client.base_url = "https://127.0.0.1"  # type: ignore[assignment]
    answer = ui.client.post("/ui/login", data={"key": ui.keys["read"]}, follow_redirects=False)
    assert answer.status_code == 303
    assert "secure" in {f.strip().lower() for f in answer.headers["set-cookie"].split(";")}


@pytest.mark.parametrize("which", ["wrong", "ingest", "empty"])
def test_a_wrong_key_shows_the_login_again(ui: Ui, which: str) -> None:
    key = {"wrong": "cg_" + "A" * 43, "ingest": ui.keys["ingest"], "empty": ""}[which]
    answer = ui.client.post("/ui/login", data={"key": key}, follow_redirects=False)
    assert answer.status_code == 401
    assert "set-cookie" not in answer.headers
    assert 'role="alert"' in answer.text and 'name="key"' in answer.text
    assert ui.client.get("/ui", follow_redirects=False).status_code == 303


def test_guessing_keys_is_rate_limited(db_url: str) -> None:
    from tests.ui.conftest import make_ui

    for ui in make_ui(db_url, anonymous_rate_limit_burst=3, anonymous_rate_limit_per_second=0.01):
        codes = [
            ui.client.post("/ui/login", data={"key": f"cg_guess{i}"}).status_code for i in range(6)
        ]
        assert codes[:2] == [401, 401] and codes[-1] == 429


def test_a_forged_or_tampered_cookie_is_not_a_session(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    good = ui.client.cookies[COOKIE]
    version, key_id, expires, nonce, mac = good.split(".")
    forged = [
        f"{version}.{int(key_id) + 1}.{expires}.{nonce}.{mac}",  # another key's id
        f"{version}.{key_id}.{int(expires) + 10**6}.{nonce}.{mac}",  # a longer session
        SessionSigner(b"another-secret" * 3).issue(int(key_id), key_expires=None).cookie,
        "v1.1.99999999999.x.y",
    ]
    for cookie in forged:
        ui.client.cookies.clear()
        ui.client.cookies.set(COOKIE, cookie, path="/ui")
        assert ui.client.get("/ui", follow_redirects=False).status_code == 303, cookie


def test_an_expired_session_is_refused() -> None:
    signer = SessionSigner(b"s" * 40)
    session = signer.issue(7, key_expires=None, now=1000.0)
    assert signer.read(session.cookie, now=1001.0) is not None
    assert signer.read(session.cookie, now=1000.0 + 9 * 3600) is None
    short = signer.issue(7, key_expires=1060.0, now=1000.0)  # never past the key's expiry
    assert short.expires == 1060 and signer.read(short.cookie, now=1061.0) is None


def test_revoking_the_key_ends_its_sessions(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    assert ui.client.get("/ui/incidents").status_code == 200
    prefix = ui.keys["read"][:10]
    key_id = next(k["id"] for k in ui.service.keys.list() if k["prefix"] == prefix)
    ui.service.keys.revoke(key_id)
    assert ui.client.get("/ui/incidents", follow_redirects=False).status_code == 303


def _edit(ui: Ui, token: str | None, **extra: str) -> int:
    data = {"version": "1", "status": "triaged", "lead": "security", **extra}
    headers = {"HX-Request": "true"}
    if token is not None:
        data["csrf"] = token
    return ui.client.post(f"/ui/incidents/{ui.mine}/edit", data=data, headers=headers).status_code


def test_a_write_without_its_csrf_token_is_403(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    token = csrf_of(ui.client)
    assert _edit(ui, None) == 403
    assert _edit(ui, token[:-2] + "xx") == 403
    assert ui.service.store.get(ui.mine)["status"] == "open"
    # another site posting with the right token (had it been leaked) is refused too
    foreign = ui.client.post(
        f"/ui/incidents/{ui.mine}/edit",
        data={"version": "1", "status": "closed", "csrf": token},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert ui.service.store.get(ui.mine)["status"] == "open"


def test_another_sessions_token_does_not_pass(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    first = csrf_of(ui.client)
    sign_in(ui.client, ui.keys["admin"])  # a new session: a new token
    assert _edit(ui, first) == 403


def test_an_edit_is_made_by_the_key_and_shows_in_the_api_timeline(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    token = csrf_of(ui.client)
    answer = ui.client.post(
        f"/ui/incidents/{ui.mine}/edit",
        data={"csrf": token, "version": "1", "status": "triaged", "lead": "security",
              "owner_role": "security", "owner_name": "Dana <SOC>", "note": "from the board"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert 'id="incident"' in answer.text and "Dana &lt;SOC&gt;" in answer.text
    api = {"Authorization": f"Bearer {ui.keys['admin']}"}
    got = ui.client.get(f"/v1/incidents/{ui.mine}", headers=api).json()
    assert got["status"] == "triaged" and got["owners"]["security"] == "Dana <SOC>"
    trail = ui.client.get(f"/v1/incidents/{ui.mine}/timeline", headers=api).json()["timeline"]
    last = trail[-1]
    assert last["actor"] == f"key:{ui.keys['admin'][:10]} (ui admin)"
    assert "from the board" in last["what"] and last["changes"]["status"]["new"] == "triaged"
    # a stale version is refused (409) and named, as on the API
    assert _edit(ui, token) == 409


def test_checking_off_a_step(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    token = csrf_of(ui.client, f"/ui/incidents/{ui.mine}")
    step = ui.service.store.get(ui.mine)["steps"][0]["step"]
    answer = ui.client.post(
        f"/ui/incidents/{ui.mine}/steps", data={"csrf": token, "step": step}, follow_redirects=False
    )
    assert answer.status_code == 303  # a plain form post goes back to the page
    done = ui.service.store.get(ui.mine)["steps"][0]
    assert done["state"] == "done" and done["done_by"].startswith("key:")


def test_a_read_key_views_but_cannot_change(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get(f"/ui/incidents/{ui.mine}")
    assert page.status_code == 200 and 'action="/ui/incidents/1/edit"' not in page.text
    token = csrf_of(ui.client)
    assert _edit(ui, token) == 403
    step = ui.client.post(f"/ui/incidents/{ui.mine}/steps", data={"csrf": token, "step": "x"})
    assert step.status_code == 403
    assert ui.service.store.get(ui.mine)["version"] == 1


def test_a_tenant_sees_only_its_own_incidents(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["other"])
    board = ui.client.get("/ui/incidents").text
    assert "Other tenant&#39;s wire" in board and "owned" not in board
    assert ui.client.get(f"/ui/incidents/{ui.mine}").status_code == 404
    token = csrf_of(ui.client)
    answer = ui.client.post(
        f"/ui/incidents/{ui.mine}/edit", data={"csrf": token, "version": "1", "status": "closed"}
    )
    assert answer.status_code == 404
    assert ui.service.store.get(ui.mine)["status"] == "open"
    sign_in(ui.client, ui.keys["global"])  # a global admin key sees every tenant's
    board = ui.client.get("/ui/incidents").text
    assert "Other tenant&#39;s wire" in board and f'href="/ui/incidents/{ui.mine}"' in board


def test_incident_text_is_escaped(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    for page in ("/ui/incidents", f"/ui/incidents/{ui.mine}"):
        text = ui.client.get(page).text
        assert "<script>document" not in text and "<img src=x" not in text
        assert "&lt;script&gt;document.title=" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in ui.client.get(f"/ui/incidents/{ui.mine}").text


def test_pages_forbid_other_hosts_scripts_and_framing(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    answer = ui.client.get("/ui")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["cache-control"] == "no-store"


def test_logout_needs_its_token_and_ends_the_session(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    assert ui.client.post("/ui/logout", follow_redirects=False).status_code == 403
    token = csrf_of(ui.client)
    out = ui.client.post("/ui/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/ui/login"
    assert ui.client.get("/ui", follow_redirects=False).status_code == 303


def test_hostile_filters_and_ids_are_answered_not_crashed(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    board = ui.client.get("/ui/incidents", params={"status": "<x>", "severity": "high"})
    assert board.status_code == 200 and "Unknown value ignored for: status" in board.text
    assert ui.client.get("/ui/incidents/99999").status_code == 404
    assert ui.client.get("/ui/incidents/0").status_code == 422
    panel = ui.client.get("/ui/graph/actions/%3Cscript%3E")
    assert panel.status_code == 404 and "<script>" not in panel.text
    token = csrf_of(ui.client)
    bad = ui.client.post(
        f"/ui/incidents/{ui.mine}/edit",
        data={"csrf": token, "version": "1", "status": "exploded"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422 and "status" in bad.text
    many = "&".join(f"f{i}=1" for i in range(500)) + f"&csrf={token}"
    flood = ui.client.post(
        f"/ui/incidents/{ui.mine}/edit",
        content=many,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert flood.status_code == 403  # more fields than a page sends: read as no token


def test_another_site_cannot_sign_a_browser_in(ui: Ui) -> None:
    """Login CSRF: a form on another site posting an attacker's key is refused."""
    for origin in ("https://evil.example", "http://127.0.0.1.evil.example"):
        answer = ui.client.post(
            "/ui/login",
            data={"key": ui.keys["read"]},
            headers={"Origin": origin},
            follow_redirects=False,
        )
        assert answer.status_code == 403 and "set-cookie" not in answer.headers


def test_a_sandboxed_frame_cannot_write(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    token = csrf_of(ui.client)
    answer = ui.client.post(
        f"/ui/incidents/{ui.mine}/edit",
        data={"csrf": token, "version": "1", "status": "closed"},
        headers={"Origin": "null"},  # what a sandboxed iframe or a data: page sends
    )
    assert answer.status_code == 403
    assert ui.service.store.get(ui.mine)["status"] == "open"
