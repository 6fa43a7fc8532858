"""Acts of the contracts app (STYLE.md convention 3), one module per sub-domain."""

from .contract import (
    DECISION_MAILS,
    EDITABLE_FIELDS,
    ContractExists,
    contract_accept,
    contract_ask_completion,
    contract_attach_proof,
    contract_complete,
    contract_perform,
    contract_reject,
    contract_start,
    contract_start_instruction,
    contract_submit,
    contract_terminate,
    contract_update,
    contract_withdraw,
)
from .structures import (
    ADDRESSED_TO,
    ANOMALY_FIELDS,
    addressed_to,
    anomaly_recipient,
    anomaly_report,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ContractExists",
    "contract_start",
    "contract_update",
    "contract_attach_proof",
    "contract_submit",
    "contract_withdraw",
    "contract_start_instruction",
    "contract_ask_completion",
    "contract_complete",
    "contract_accept",
    "contract_reject",
    "contract_terminate",
    "contract_perform",
    "DECISION_MAILS",
    "ANOMALY_FIELDS",
    "ADDRESSED_TO",
    "anomaly_recipient",
    "addressed_to",
    "anomaly_report",
]
