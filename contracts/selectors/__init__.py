"""Tenant-scoped reads of the contracts app (STYLE.md convention 8), one module per sub-domain."""

from .contract import (
    contract_details_get_for_user,
    contract_get_for_user,
    contract_proof_file,
    contracts_for_user,
    entitles_to_orders,
    has_valid_contract,
    live_contract_of,
)
from .structures import (
    anomaly_reports_of,
    represented_organisation,
    sites_of,
    structure_get_for_user,
    structure_list,
    structures_for_user,
)

__all__ = [
    "contracts_for_user",
    "contract_get_for_user",
    "contract_details_get_for_user",
    "live_contract_of",
    "entitles_to_orders",
    "has_valid_contract",
    "contract_proof_file",
    "structures_for_user",
    "represented_organisation",
    "structure_get_for_user",
    "structure_list",
    "sites_of",
    "anomaly_reports_of",
]
