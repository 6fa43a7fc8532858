from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Structures FINESS et contrats d'adhésion"

    def ready(self):
        from esms_portal.workflow.backoffice import Queue, register_queue

        from .models import Contract, ContractState

        register_queue(
            Queue(
                key="contrats",
                label="Contrats d'adhésion",
                model=Contract,
                detail_url="contracts:detail",
                waiting_states=(
                    ContractState.SUBMITTED,
                    ContractState.IN_INSTRUCTION,
                    ContractState.COMPLETION_REQUESTED,
                ),
            )
        )
