"""Acts on the adhesion contract (STYLE.md convention 3): views, API, admin and tests call these."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from esms_portal.core import permissions
from esms_portal.core.errors import InvalidInput, StateConflict
from esms_portal.core.notify import mail_on_commit
from esms_portal.core.uploads import private_storage, read_pdf, sha256, store_private
from esms_portal.models import Role, RoleGrant
from esms_portal.workflow.requests import perform_act, record_creation

from ..models import (
    CGU_VERSION,
    LIVE_CONTRACT_STATES,
    Contract,
    ProofKind,
    Structure,
    StructureKind,
)

# Fields the legal representative fills (R-CON-4, R-CON-7); the rest is set by acts.
EDITABLE_FIELDS = (
    "representative_last_name",
    "representative_first_names",
    "representative_email",
    "representative_phone",
    "capacity",
    "card_arrangement",
    "director_last_name",
    "director_first_names",
    "director_email",
    "proof_kind",
)


class ContractExists(InvalidInput):
    code = "contract_exists"
    status = 409


_NOT_IN_FINESS = "Cette structure n'est pas ouverte dans FINESS : signalez l'anomalie avant de contractualiser."
_FINESS_REQUIRED = (
    "Une structure qui prend en charge des patients ou des usagers contractualise avec son numéro FINESS ; "
    "seule une structure sans patients ni usagers peut le faire avec son SIRET."
)


def contract_start(*, actor, structure: Structure) -> Contract:
    """Open the draft contract of the structure's EJ (R-CON-1, R-CON-2, R-FIN-2); a structure without
    patients and without FINESS contracts with its SIRET (R-FIN-5)."""
    permissions.require(actor, "contract.submit", structure)
    if not structure.may_contract():
        raise InvalidInput(_NOT_IN_FINESS if structure.finess or not structure.is_open else _FINESS_REQUIRED,
                           code="structure_not_in_finess", details={"rule": "R-FIN-5"})
    if structure.kind == StructureKind.EG and _site_count(structure.legal_entity_id) > 1:
        raise InvalidInput(
            "Une organisation à plusieurs sites contractualise au niveau du FINESS juridique : "
            "un seul contrat couvre tous ses établissements.",
            code="contract_at_legal_entity_required",
        )
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                organisation_id=structure.legal_entity_id, contracting_structure=structure, created_by=actor
            )
            record_creation(contract, actor=actor)
    except IntegrityError:
        raise _existing_contract_error(structure.legal_entity_id) from None
    return contract


def _site_count(organisation_id) -> int:
    return Structure.objects.filter(legal_entity_id=organisation_id, kind=StructureKind.EG).count()


def _existing_contract_error(organisation_id) -> ContractExists:
    existing = Contract.objects.filter(organisation_id=organisation_id, state__in=LIVE_CONTRACT_STATES).first()
    return ContractExists(
        "Votre organisation a déjà un contrat d'adhésion : un seul contrat couvre tous ses établissements.",
        details={"contract": str(existing.pk) if existing else None},
    )


def contract_update(*, actor, contract_pk, data: dict, cgu_accepted: bool | None = None, proof=None) -> Contract:
    """Save the draft (or the completion asked by the agent); only while editable. With a `proof`
    upload (its kind in `data["proof_kind"]`), all or nothing: a refused file saves no field."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Champs non modifiables : {', '.join(sorted(unknown))}.", code="invalid_field")
    proof_data = read_pdf(proof) if proof is not None else None
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract_pk)
        permissions.require(actor, "contract.submit", contract)
        if not contract.is_editable:
            raise StateConflict("Le dossier déposé n'est plus modifiable, sauf demande de compléments.")
        for field, value in data.items():
            setattr(contract, field, (value or "").strip() if isinstance(value, str) else value)
        if cgu_accepted is True and not contract.cgu_accepted_at:
            contract.cgu_version, contract.cgu_accepted_at = CGU_VERSION, timezone.now()
        elif cgu_accepted is False:
            contract.cgu_version, contract.cgu_accepted_at = "", None
        _validate(contract, list(data))
        if proof_data is not None:
            _replace_proof(contract, proof_data, contract.proof_kind)
        contract.save()
    return contract


def _validate(contract: Contract, fields: list[str]) -> None:
    try:
        contract.clean_fields(exclude=[f.name for f in contract._meta.fields if f.name not in fields])
    except ValidationError as error:
        raise InvalidInput(details=error.message_dict) from None


def contract_attach_proof(*, actor, contract_pk, upload, kind: str) -> Contract:
    """Attach the director's appointment or delegation (R-CON-7): a real PDF, stored privately."""
    data = read_pdf(upload)
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract_pk)
        permissions.require(actor, "contract.submit", contract)
        if not contract.is_editable:
            raise StateConflict("Le dossier déposé n'est plus modifiable, sauf demande de compléments.")
        _replace_proof(contract, data, kind)
        contract.save(update_fields=["proof_file", "proof_sha256", "proof_kind", "updated_at"])
    return contract


def _replace_proof(contract: Contract, data: bytes, kind: str) -> None:
    """Store the new proof on the locked contract, last before its save; the file it replaces is
    deleted once the replacement is committed (a rolled-back act keeps it)."""
    if kind not in ProofKind.values:
        raise InvalidInput("Précisez la nature du justificatif.", code="invalid_proof_kind")
    replaced = contract.proof_file
    contract.proof_file = store_private(data, folder=f"contracts/{contract.pk}")
    contract.proof_sha256, contract.proof_kind = sha256(data), kind
    if replaced:
        transaction.on_commit(lambda: private_storage.delete(replaced))


def contract_submit(*, actor, contract_pk) -> Contract:
    """Deposit the dossier; says field by field what is missing (R-CON-4)."""
    _require_complete(contract_pk, actor=actor)
    return _act(contract_pk, "submit", actor=actor)


def _require_complete(contract_pk, *, actor) -> None:
    contract = Contract.objects.get(pk=contract_pk)
    permissions.require(actor, "contract.submit", contract)
    missing = contract.missing_fields()
    if missing:
        raise InvalidInput("Le dossier est incomplet.", code="incomplete", details=missing)


def contract_withdraw(*, actor, contract_pk) -> Contract:
    return _act(contract_pk, "withdraw", actor=actor)


def contract_start_instruction(*, actor, contract_pk) -> Contract:
    return _act(contract_pk, "start_instruction", actor=actor, agent=actor)


def contract_ask_completion(*, actor, contract_pk, message: str) -> Contract:
    """The agent asks for completion; his message goes on the dossier's conversation (esms_portal.dialogue
    listens to the act) and the clock pauses."""
    return _act(contract_pk, "ask_completion", actor=actor, reason=message)


def contract_complete(*, actor, contract_pk, message: str = "") -> Contract:
    """The organisation answers a completion request; instruction resumes once complete (R-CON-4)."""
    _require_complete(contract_pk, actor=actor)
    return _act(contract_pk, "complete", actor=actor, reason=message)


def contract_accept(*, actor, contract_pk) -> Contract:
    return _act(contract_pk, "accept", actor=actor)


def contract_reject(*, actor, contract_pk, reason: str) -> Contract:
    return _act(contract_pk, "reject", actor=actor, reason=reason)


def contract_terminate(*, actor, contract_pk, reason: str) -> Contract:
    return _act(contract_pk, "terminate", actor=actor, reason=reason)


# The agent's instruction acts by name, and the argument that carries the agent's text.
INSTRUCTION_ACTS = {
    "start_instruction": (contract_start_instruction, None),
    "ask_completion": (contract_ask_completion, "message"),
    "accept": (contract_accept, None),
    "reject": (contract_reject, "reason"),
}


def contract_perform(*, actor, contract_pk, act: str, reason: str = "") -> Contract:
    """One instruction act by its name (the back office's bulk acts, through the contract's declaration)."""
    if act not in INSTRUCTION_ACTS:
        raise StateConflict("Cet acte ne s'applique pas aux contrats d'adhésion.", code="act_not_applicable")
    service, argument = INSTRUCTION_ACTS[act]
    return service(actor=actor, contract_pk=contract_pk, **({argument: reason} if argument else {}))


# The acts after which the organisation is told by mail besides the decisions, which the dialogue
# mails (esms_portal.dialogue.notices, with the declaration's decision_mail and subjects).
DECISION_MAILS = {
    "start_instruction": "Votre contrat d'adhésion est en cours d'instruction",
}


def _act(contract_pk, act: str, *, actor, reason: str = "", **kwargs) -> Contract:
    with transaction.atomic():
        outcome = perform_act(Contract, contract_pk, act, actor=actor, reason=reason, **kwargs)
        contract = outcome.request
        if act in DECISION_MAILS:
            mail_on_commit(
                to=_organisation_addresses(contract),
                subject=DECISION_MAILS[act],
                template="contracts/email/contract_decision.txt",
                context={"contract": contract, "act": act, "reason": reason},
            )
    return contract


def _organisation_addresses(contract: Contract) -> list[str]:
    representatives = RoleGrant.objects.filter(
        organisation_id=contract.organisation_id, role=Role.LEGAL_REPRESENTATIVE
    ).values_list("user__email", flat=True)
    return sorted({contract.representative_email, *representatives} - {""})
