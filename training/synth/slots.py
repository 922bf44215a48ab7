"""Slot values shared by the templates."""

from __future__ import annotations

from training.synth.core import tables

_TABLES = tables("slots")

NAMES = _TABLES["NAMES"]
FIRST = _TABLES["FIRST"]
COMPANIES = _TABLES["COMPANIES"]
PRODUCTS = _TABLES["PRODUCTS"]
AMOUNTS = _TABLES["AMOUNTS"]
BIG_AMOUNTS = _TABLES["BIG_AMOUNTS"]
ORDERS = _TABLES["ORDERS"]
DATES = _TABLES["DATES"]
CITIES = _TABLES["CITIES"]
ROLES_EXEC = _TABLES["ROLES_EXEC"]
DEPTS = ["IT", "IT support", "the help desk", "security operations", "payroll", "HR"]
AUTHORITIES = _TABLES["AUTHORITIES"]
PAYLOADS_EN = _TABLES["PAYLOADS_EN"]


# the slots of attack and scam templates ("amount" is a large sum here)
ATTACK_SLOTS: dict[str, list[str]] = {
    "first": FIRST,
    "name": NAMES,
    "company": COMPANIES,
    "exec": ROLES_EXEC,
    "big": BIG_AMOUNTS,
    "order": ORDERS,
    "authority": AUTHORITIES,
    "dept": DEPTS,
    "city": CITIES,
    "date": DATES,
    "product": PRODUCTS,
    "amount": BIG_AMOUNTS,
}
