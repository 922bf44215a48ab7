"""What each catalogue control needs to fit a business (`fit.py`), keyed by control
id: who performs it, for which customers and industries, and what the organisation
must have. Every control in `controls.CONTROLS` takes its entry from here."""

from __future__ import annotations

from channelguard.model.schema import Industry, Segment
from channelguard.review.fit import ANY_CUSTOMER, Fit, Performer

__all__ = ["FITS"]

_SELF_APP = Fit(
    performer=Performer.CUSTOMER_SELF_SERVICE,
    customers=ANY_CUSTOMER,
    industries=None,
    needs=("an app with push and number matching", "customers enrolled in it"),
)
_HOLD = Fit(
    performer=Performer.BACK_OFFICE,
    customers=ANY_CUSTOMER,
    industries=None,
    needs=("a hold on dependent actions in the core system",),
)
_TELECOM = frozenset({Industry.TELECOM})

FITS: dict[str, Fit] = {
    "replace_kba_with_app_push": _SELF_APP,
    "require_app_push": _SELF_APP,
    "replace_otp_with_app_push": _SELF_APP,
    "callback_after_sim_check": Fit(
        performer=Performer.STAFF,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("a number on file", "a SIM-swap and port-out check (carrier or data provider)"),
    ),
    "known_number_callback": Fit(
        performer=Performer.STAFF,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("a number on file", "agents who call out"),
    ),
    "second_approver": Fit(
        performer=Performer.BACK_OFFICE,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("a second staff member with approval rights", "a queue for held requests"),
    ),
    "close_fallback": Fit(
        performer=Performer.STAFF,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("a primary path every customer can reach",),
    ),
    "oob_known_person": Fit(
        performer=Performer.BACK_OFFICE,
        # a different known person: another signatory at a business customer
        customers=frozenset({Segment.CORPORATE}),
        industries=None,
        needs=("a second known contact per customer, with a number on file",),
    ),
    "cooling_off": _HOLD,
    "port_out_pin": Fit(
        performer=Performer.CUSTOMER_SELF_SERVICE,
        customers=ANY_CUSTOMER,
        industries=_TELECOM,
        needs=("a port-out PIN the customer sets", "port-out requests checked against it"),
    ),
    "number_lock": Fit(
        performer=Performer.CUSTOMER_SELF_SERVICE,
        customers=ANY_CUSTOMER,
        industries=_TELECOM,
        needs=("an app where the customer lifts the lock", "a lock flag the porting desk checks"),
    ),
    "store_id_scan": Fit(
        performer=Performer.STAFF,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("stores or branches", "an ID document scanner in each"),
    ),
    "refund_to_original_method": Fit(
        performer=Performer.BACK_OFFICE,
        customers=ANY_CUSTOMER,
        # a bank's credit goes to the customer's account: there is no payment method
        industries=frozenset(Industry) - {Industry.BANK},
        needs=("the original payment method on the order or bill",),
    ),
    "payout_change_cooling_off": Fit(
        performer=Performer.BACK_OFFICE,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("a hold on payouts to a new account", "the old contact on file"),
    ),
    "disclose_to_address_on_record": Fit(
        performer=Performer.BACK_OFFICE,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("a postal address or verified e-mail on record",),
    ),
    "step_up_before_disclosure": _SELF_APP,
    "redact_in_agent_answers": Fit(
        performer=Performer.BACK_OFFICE,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("redaction in the agent's answers", "another channel that discloses the data"),
    ),
    "notify_old_contact": Fit(
        performer=Performer.BACK_OFFICE,
        customers=ANY_CUSTOMER,
        industries=None,
        needs=("the old contact on file", "a notification service"),
    ),
}
