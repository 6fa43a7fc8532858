"""What the contracts app adds to the kernel (esms_portal.core.extensions): the adhesion contract as
an instructed request (its queue) and its onboarding milestones. Its demo data is `manage.py load_demo`,
plus a structure known by its SIRET (demo_data)."""

from esms_portal.core.extensions import PortalExtension
from esms_portal.workflow.declarations import RequestType

from . import demo_data
from .models import Contract, ContractState
from .onboarding import ContractsProvider


class AdhesionContract(RequestType):
    model = Contract
    key, title = "contrats", "Contrats d'adhésion"
    detail_url = "contracts:detail"
    waiting_states = (ContractState.SUBMITTED, ContractState.IN_INSTRUCTION, ContractState.COMPLETION_REQUESTED)
    # The adhesion contract is the legal representative's act (R-CON-4); agents instruct it.
    file_act = respond_act = "contract.submit"
    view_act = "contract.view"
    instruct_act = "contract.instruct"
    named = "le contrat d'adhésion"
    message_act = "contract.message"  # the dossier's details are the legal representative's
    decision_mail = "contracts/email/contract_decision.txt"
    decision_subjects = {
        "ask_completion": "Votre contrat d'adhésion : compléments demandés",
        "accept": "Votre contrat d'adhésion est accepté",
        "reject": "Votre contrat d'adhésion est refusé",
        "terminate": "Votre contrat d'adhésion est résilié",
    }
    window = "contract_instruction"

    def perform(self, request, act: str, *, actor, reason: str = ""):
        from .services import contract_perform

        return contract_perform(actor=actor, contract_pk=request.pk, act=act, reason=reason)

    def case_people(self, contract):
        return [f"{contract.representative_first_names} {contract.representative_last_name}",
                f"{contract.director_first_names} {contract.director_last_name}"]


EXTENSION = PortalExtension(
    requests=(AdhesionContract(),), onboarding=(ContractsProvider,), demo=demo_data.load_demo_data
)
