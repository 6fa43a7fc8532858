"""Tenant-scoped reads of contracts (STYLE.md convention 8)."""

from django.shortcuts import get_object_or_404

from esms_portal.core import permissions
from esms_portal.core.uploads import private_storage

from ..models import LIVE_CONTRACT_STATES, Contract, ContractState


def contracts_for_user(user):
    return permissions.scope(Contract.objects.all(), user).select_related(
        "organisation", "contracting_structure", "agent"
    )


def contract_get_for_user(user, pk) -> Contract:
    """The contract `pk` if `user` may see it; 404 across organisations."""
    return get_object_or_404(contracts_for_user(user), pk=pk)


def contract_details_get_for_user(user, pk) -> Contract:
    """The contract `pk` for reading its details (people, proof, messages): 404 across
    organisations, `ActNotAllowed` (403) to a member whose role does not act on it."""
    contract = contract_get_for_user(user, pk)
    permissions.require(user, "contract.read_details", contract)
    return contract


def live_contract_of(organisation_id) -> Contract | None:
    return Contract.objects.filter(organisation_id=organisation_id, state__in=LIVE_CONTRACT_STATES).first()


def entitles_to_orders(organisation_id) -> bool:
    """The accepted contract entitles the legal representative to declare staff into the RPPS and to
    order electronic identification means, free of charge (R-CON-6); later forms check this."""
    return has_valid_contract(organisation_id)


def has_valid_contract(organisation_id) -> bool:
    """An accepted contract: valid for every service socle, RPPS+ included (R-CON-3)."""
    return Contract.objects.filter(organisation_id=organisation_id, state=ContractState.ACCEPTED).exists()


def contract_proof_file(contract: Contract):
    """The stored proof, opened for reading, or None when there is none (or it went missing)."""
    if not contract.proof_file or not private_storage.exists(contract.proof_file):
        return None
    return private_storage.open(contract.proof_file, "rb")
