"""Who performs a control, for which customers and industries, and what the
organisation needs to run it; and whether it fits the business a model declares.

A model that declares no `industry` and no `customers` gets every control (the
contract's behaviour); a declared one gets only the controls that state it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from channelguard.model.schema import ChannelModel, Industry, Segment

__all__ = ["ANY_CUSTOMER", "Fit", "Performer", "fits_business"]


class Performer(StrEnum):
    """Who carries out the control's step."""

    CUSTOMER_SELF_SERVICE = "customer_self_service"  # the customer, in an app or on the web
    STAFF = "staff"  # the agent or store staff in the interaction
    BACK_OFFICE = "back_office"  # a team or system behind it: holds, approvals, notices


ANY_CUSTOMER = frozenset(Segment)


@dataclass(frozen=True, kw_only=True, slots=True)
class Fit:
    performer: Performer
    customers: frozenset[Segment]  # never empty
    industries: frozenset[Industry] | None  # None: any industry
    needs: tuple[str, ...]  # what the organisation must have, in short phrases

    def __post_init__(self) -> None:
        if not self.customers or not self.needs or self.industries == frozenset():
            raise ValueError("a control's fit states customers, needs and industries")


def fits_business(fit: Fit, model: ChannelModel) -> bool:
    """The control serves the model's declared customers in its declared industry;
    what the model does not declare does not narrow."""
    industry = model.industry
    if industry is not None and fit.industries is not None and industry not in fit.industries:
        return False
    return model.customers is None or bool(fit.customers & set(model.customers))
