"""The channel model contract (shared/spec/channel-model.md) as strict pydantic models.

Every model forbids unknown keys. Keys this project adds to the contract are
optional, so every file written to the contract still loads:
- factors: `evidence`, `inbound`, `estimate`, `source_date`, `notes`;
- channels: `label`, and `staffed_by: self_service` for app and web flows;
- actions: `kind` (what the action does, so controls match on it, not on words);
- paths: nothing beyond the contract;
- the model: `industry` and `customers` (the business, so the plan proposes only
  controls that fit it).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
)

__all__ = [
    "Action",
    "ActionKind",
    "AnyOf",
    "Channel",
    "ChannelKind",
    "ChannelModel",
    "Evidence",
    "FactorSpec",
    "Industry",
    "Owner",
    "Path",
    "Requirement",
    "Segment",
    "StaffedBy",
    "Tier",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
Ident = Annotated[StrictStr, Field(pattern=ID_PATTERN, max_length=200)]
# Figures past these are not meaningful, and sums of them would overflow to infinity:
# a quadrillion dollars, a million years.
MAX_USD = 1e15
MAX_MINUTES = 5.3e11
Money = Annotated[float, Field(ge=0, le=MAX_USD, allow_inf_nan=False)]
Minutes = Annotated[float, Field(ge=0, le=MAX_MINUTES, allow_inf_nan=False)]
Probability = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]

_HOURS = re.compile(
    r"^(24/7|(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?"
    r" ([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d)$"
)


class Tier(StrEnum):
    T0 = "T0"
    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    T4 = "T4"

    @property
    def rank(self) -> int:
        return int(self.value[1])


class ChannelKind(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"
    VIDEO = "video"
    AI_AGENT = "ai_agent"
    WEB = "web"
    IN_PERSON = "in_person"


class StaffedBy(StrEnum):
    HUMAN = "human"
    AI = "ai"
    IVR = "ivr"
    SELF_SERVICE = "self_service"  # project extension: app or web flows with no agent


class Owner(StrEnum):
    SECURITY = "security"
    OPERATIONS = "operations"
    LEGAL = "legal"
    CUSTOMER_EXPERIENCE = "customer_experience"
    FINANCE = "finance"
    IT = "it"


class ActionKind(StrEnum):
    """What an action does (project extension); controls are chosen by it. Without
    it the kind is guessed from the id and description, and lint says so."""

    PAYMENT = "payment"  # money out to a payee: wire, transfer, bill payment
    PAYOUT_CHANGE = "payout_change"  # where money is paid: payout account, beneficiary details
    REFUND = "refund"  # credits, refunds, goodwill, compensation
    CONTACT_CHANGE = "contact_change"  # phone, e-mail or postal address on file
    CREDENTIAL_RESET = "credential_reset"  # password, PIN, MFA device, passkey
    SIM_CHANGE = "sim_change"  # SIM swap or eSIM transfer
    PORT_OUT = "port_out"  # moving the number to another carrier
    DATA_DISCLOSURE = "data_disclosure"  # reading out or sending personal data
    OTHER = "other"


class Industry(StrEnum):
    """The organisation's industry (project extension): controls specific to one
    (a port-out PIN: telecom) are proposed only there."""

    BANK = "bank"
    INSURANCE = "insurance"
    TELECOM = "telecom"
    RETAIL = "retail"
    OTHER = "other"


class Segment(StrEnum):
    """A customer segment (project extension)."""

    CONSUMER = "consumer"
    CORPORATE = "corporate"


class Evidence(StrEnum):
    """What kind of proof a factor is; the tier policy reasons over these."""

    KNOWLEDGE = "knowledge"  # KBA, PINs, safe phrases spoken on the call
    PSTN_CODE = "pstn_code"  # SMS or voice one-time code (NIST: restricted)
    EMAIL_CODE = "email_code"
    BOUND_APP = "bound_app"  # push with number matching, authenticated app session
    PHISHING_RESISTANT = "phishing_resistant"  # passkey / FIDO2
    CALLBACK = "callback"  # we call the number on file
    NETWORK_SIGNAL = "network_signal"  # caller-ID, STIR/SHAKEN, SIM-swap check
    BIOMETRIC = "biometric"  # voice or face matched on the inbound stream
    DOCUMENT = "document"
    APPROVAL = "approval"  # an override or a second person inside the organisation
    DELAY = "delay"
    OUT_OF_BAND_PERSON = "out_of_band_person"  # a different known person, pre-registered channel


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactorSpec(_Strict):
    """A factor as a file (or the built-in library) states it; every key optional so a
    file can override single figures of a built-in factor."""

    label: StrictStr | None = None
    attacker_cost_usd: Money | None = None
    attacker_minutes: Minutes | None = None
    success_probability: Probability | None = None
    attempts: Annotated[StrictInt, Field(ge=1, le=1000)] | None = None
    phishing_resistant: StrictBool | None = None
    obtainable_via: list[Ident] | None = None
    source: StrictStr | None = None
    source_date: StrictStr | None = None
    estimate: StrictBool | None = None
    evidence: Evidence | None = None
    inbound: StrictBool | None = None
    notes: StrictStr | None = None

    def sets_numbers(self) -> bool:
        return any(
            v is not None
            for v in (
                self.attacker_cost_usd,
                self.attacker_minutes,
                self.success_probability,
                self.attempts,
            )
        )


class Channel(_Strict):
    id: Ident
    kind: ChannelKind
    hours: StrictStr = "24/7"
    staffed_by: StaffedBy
    label: StrictStr | None = None

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        if not _HOURS.match(value):
            raise ValueError(f"'{value}' is not '24/7' or like 'Mon-Fri 08:00-20:00'")
        return value

    @property
    def always_open(self) -> bool:
        return self.hours == "24/7"


def _any_of_item(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, AnyOf):
        return value
    raise ValueError("expected a factor id or {any_of: [factor ids]}")


class AnyOf(_Strict):
    any_of: Annotated[list[Ident], Field(min_length=1)]


Requirement = Annotated[Ident | AnyOf, AfterValidator(_any_of_item)]


class Path(_Strict):
    id: Ident
    channel: Ident
    requires: list[Requirement] = Field(default_factory=list)
    fallback_of: Ident | None = None
    approvals: Annotated[StrictInt, Field(ge=0, le=10)] = 0

    def factor_ids(self) -> list[str]:
        out: list[str] = []
        for item in self.requires:
            out.extend([item] if isinstance(item, str) else item.any_of)
        return out


class Action(_Strict):
    id: Ident
    description: StrictStr = ""
    tier: Tier
    impact_usd: Money
    owner: Owner
    kind: ActionKind | None = None
    paths: list[Path] = Field(default_factory=list)
    cooling_off_hours: Annotated[float, Field(ge=0, le=24 * 365, allow_inf_nan=False)] = 0
    notifies_old_contact: StrictBool = False


class ChannelModel(_Strict):
    organization: Annotated[StrictStr, Field(min_length=1)]
    version: Annotated[StrictStr, Field(min_length=1)]
    factors: dict[Ident, FactorSpec] = Field(default_factory=dict)
    channels: list[Channel] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    # project extension: the business; None proposes every control as the contract does
    industry: Industry | None = None
    customers: Annotated[list[Segment], Field(min_length=1)] | None = None
