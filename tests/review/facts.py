"""Facts of the records the review tests push: clean ones come from tests/sync/helpers.py,
these add a legal block, a warning with its reason, a refusal and a payment shown."""

from __future__ import annotations

import copy
from typing import Any

from tests.sync.helpers import CITATORIO_FACTS, DEMAND_FACTS, NOTIFICATION_FACTS


def late_citatorio() -> dict[str, Any]:
    """A citatorio begun at 20:00, outside business hours without habilitación (R-CAL-3)."""
    facts = copy.deepcopy(CITATORIO_FACTS)
    for key in ("started_at", "arrived_at", "finished_at"):
        facts[key] = facts[key].replace("T12:", "T20:").replace("T11:", "T19:")
    facts["entered_at"] = {k: v.replace("T12:", "T20:") for k, v in facts["entered_at"].items()}
    return facts


def citatorio_at_registration_address() -> dict[str, Any]:
    """A citatorio left at the employer-registration address (R-NOT-2 warns)."""
    facts = copy.deepcopy(CITATORIO_FACTS)
    facts["address"] = {**facts["address"], "origin": "employer_registration"}
    return facts


WARNING_REASON = {"R-NOT-2": "Es el único domicilio conocido del patrón."}


def refused_notification() -> dict[str, Any]:
    facts = copy.deepcopy(NOTIFICATION_FACTS)
    facts["refused_to_receive"] = True
    return facts


def demand_paid() -> dict[str, Any]:
    facts = copy.deepcopy(DEMAND_FACTS)
    facts["payment"] = {"outcome": "proof_shown", "proof_document": "Recibo bancario 4471 del 11/03/2026"}
    return facts


def clean_notification() -> dict[str, Any]:
    return copy.deepcopy(NOTIFICATION_FACTS)
