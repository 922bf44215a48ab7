"""The register's fixed vocabulary: domains, causes, severities, states, owner
roles, link and harm types, and the OWASP and ATLAS ids an incident may cite
(validated: an OWASP id carries its year, an ATLAS id must exist in the
shipped ATLAS v5.6.0 extract)."""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from importlib import resources

__all__ = [
    "OWASP_LLM",
    "Cause",
    "HarmType",
    "IncidentDomain",
    "LinkType",
    "OwnerRole",
    "Severity",
    "Status",
    "atlas_techniques",
    "check_atlas",
    "check_owasp",
]


class IncidentDomain(StrEnum):
    SAFETY = "safety"  # unintended harm
    SECURITY = "security"  # deliberate attack
    BOTH = "both"  # e.g. a safety failure that enabled an attack


class Cause(StrEnum):
    ACCIDENTAL = "accidental"
    ADVERSARIAL = "adversarial"
    MIXED = "mixed"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Status(StrEnum):
    OPEN = "open"
    TRIAGED = "triaged"
    CONTAINED = "contained"
    RESOLVED = "resolved"
    CLOSED = "closed"


class OwnerRole(StrEnum):
    SECURITY = "security"
    OPERATIONS = "operations"
    LEGAL = "legal"
    CUSTOMER_EXPERIENCE = "customer_experience"
    FINANCE = "finance"
    AI_OWNER = "ai_owner"


class LinkType(StrEnum):
    ENABLED = "enabled"  # this incident enabled the other (a leak that made an attack cheap)
    SAME_ACTOR = "same_actor"
    DUPLICATE_OF = "duplicate_of"


class HarmType(StrEnum):
    """What went wrong; each maps to one shipped playbook (data/playbooks)."""

    EXECUTIVE_PAYMENT_FRAUD = "executive_payment_fraud"  # deepfaked executive orders a payment
    ACCOUNT_TAKEOVER = "account_takeover"  # through recovery, SIM swap, KBA
    INJECTION_ACTION = "injection_action"  # prompt injection led to an unauthorised action
    INJECTION_ATTEMPT = "injection_attempt"  # injection or jailbreak seen, stopped
    PERSONAL_DATA_LEAK = "personal_data_leak"  # the AI agent disclosed personal data
    HARMFUL_OUTPUT = "harmful_output"  # toxic, biased, unauthorised commitment or advice
    IMPERSONATION_ATTEMPT = "impersonation_attempt"  # social engineering seen, held
    MODEL_DRIFT = "model_drift"  # the agent's behaviour or its traffic changed (watch/)


# OWASP Top 10 for LLM Applications, ids stored with their year
# (../shared/reference/factor_evidence.md, section 3.4)
OWASP_LLM = {
    "LLM01:2025": "Prompt Injection",
    "LLM02:2025": "Sensitive Information Disclosure",
    "LLM03:2025": "Supply Chain",
    "LLM04:2025": "Data and Model Poisoning",
    "LLM05:2025": "Improper Output Handling",
    "LLM06:2025": "Excessive Agency",
    "LLM07:2025": "System Prompt Leakage",
    "LLM08:2025": "Vector and Embedding Weaknesses",
    "LLM09:2025": "Misinformation",
    "LLM10:2025": "Unbounded Consumption",
    "LLM01:2026": "Prompt Injection",
    "LLM02:2026": "Sensitive Information Disclosure",
    "LLM03:2026": "Excessive Agency",
    "LLM04:2026": "Supply Chain",
    "LLM05:2026": "Data and Model Poisoning",
    "LLM06:2026": "Unbounded Consumption",
    "LLM07:2026": "Misinformation",
    "LLM08:2026": "Hidden Context Exposure",
    "LLM09:2026": "Vector and Embedding Weaknesses",
    "LLM10:2026": "Improper Output Handling",
}


@cache
def atlas_techniques() -> dict[str, str]:
    """ATLAS technique id -> name, from the shipped extract (scripts/extract_atlas.py)."""
    text = resources.files("channelguard").joinpath("data/atlas_techniques.json").read_text()
    techniques: dict[str, str] = json.loads(text)["techniques"]
    return techniques


def check_owasp(value: str) -> str:
    if value not in OWASP_LLM:
        if value.upper().startswith("LLM") and ":" not in value:
            raise ValueError(f"'{value}': give the OWASP id with its year, e.g. {value}:2025")
        raise ValueError(f"'{value}' is not an OWASP LLM Top 10 id (LLM01:2025 … LLM10:2026)")
    return value


def check_atlas(value: str) -> str:
    if value not in atlas_techniques():
        raise ValueError(f"'{value}' is not a MITRE ATLAS v5.6.0 technique id (e.g. AML.T0051)")
    return value
