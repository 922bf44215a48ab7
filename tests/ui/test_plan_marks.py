"""The plan checklist: an admin marks an item done (stored per tenant and model,
migration 0008), a read key cannot, an unknown item is refused."""

from __future__ import annotations

import re

from channelguard.register.plan_marks import PlanMarks
from tests.ui.conftest import Ui, csrf_of, sign_in


def _first_item(text: str) -> str:
    found = re.search(r'name="item" value="([^"]+)"', text)
    assert found, "no plan item on the page"
    return found.group(1).replace("&#34;", '"').replace("&amp;", "&")


def test_an_admin_marks_a_plan_item_done_and_undone(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["admin"])
    page = ui.client.get("/ui/plan")
    assert page.status_code == 200 and "0 of " in page.text
    item, token = _first_item(page.text), csrf_of(ui.client, "/ui/plan")
    hx = {"HX-Request": "true"}
    done = ui.client.post(
        "/ui/plan/marks", data={"csrf": token, "item": item, "done": "1"}, headers=hx
    )
    assert done.status_code == 200 and "1 of " in done.text and "Mark not done" in done.text
    marks = PlanMarks(ui.service.db).done("default", ui.service.policy)
    assert list(marks) == [item] and marks[item].done_by.startswith("key:")
    # another tenant's checklist is its own
    assert PlanMarks(ui.service.db).done("other", ui.service.policy) == {}
    undone = ui.client.post(
        "/ui/plan/marks", data={"csrf": token, "item": item, "done": "0"}, headers=hx
    )
    assert undone.status_code == 200 and "0 of " in undone.text
    assert PlanMarks(ui.service.db).done("default", ui.service.policy) == {}


def test_marks_need_an_admin_key_a_token_and_a_real_item(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get("/ui/plan")
    item, token = _first_item(page.text), csrf_of(ui.client, "/ui/plan")
    assert "Mark done" not in page.text
    assert (
        ui.client.post(
            "/ui/plan/marks", data={"csrf": token, "item": item, "done": "1"}
        ).status_code
        == 403
    )
    sign_in(ui.client, ui.keys["admin"])
    token = csrf_of(ui.client, "/ui/plan")
    assert ui.client.post("/ui/plan/marks", data={"item": item, "done": "1"}).status_code == 403
    made_up = ui.client.post("/ui/plan/marks", data={"csrf": token, "item": "x" * 600, "done": "1"})
    assert made_up.status_code == 422
    assert PlanMarks(ui.service.db).done("default", ui.service.policy) == {}
