from django.urls import include, path

from . import api, contract_api

contract_patterns = [
    path("", contract_api.ContractListApi.as_view(), name="api-contract-list"),
    path("<int:pk>/", contract_api.ContractDetailApi.as_view(), name="api-contract-detail"),
    path("<int:pk>/submit/", contract_api.ContractSubmitApi.as_view(), name="api-contract-submit"),
    path("<int:pk>/withdraw/", contract_api.ContractWithdrawApi.as_view(), name="api-contract-withdraw"),
    path(
        "<int:pk>/start-instruction/",
        contract_api.ContractStartInstructionApi.as_view(),
        name="api-contract-start-instruction",
    ),
    path(
        "<int:pk>/ask-completion/", contract_api.ContractAskCompletionApi.as_view(), name="api-contract-ask-completion"
    ),
    path("<int:pk>/complete/", contract_api.ContractCompleteApi.as_view(), name="api-contract-complete"),
    path("<int:pk>/accept/", contract_api.ContractAcceptApi.as_view(), name="api-contract-accept"),
    path("<int:pk>/reject/", contract_api.ContractRejectApi.as_view(), name="api-contract-reject"),
    path("<int:pk>/terminate/", contract_api.ContractTerminateApi.as_view(), name="api-contract-terminate"),
    path("<int:pk>/messages/", contract_api.ContractMessagesApi.as_view(), name="api-contract-messages"),
    path("<int:pk>/proof/", contract_api.ContractProofApi.as_view(), name="api-contract-proof"),
]

urlpatterns = [
    path("structures/", api.StructureListApi.as_view(), name="api-structure-list"),
    path("structures/<uuid:pk>/", api.StructureDetailApi.as_view(), name="api-structure-detail"),
    path("structures/<uuid:pk>/anomalies/", api.AnomalyReportApi.as_view(), name="api-anomaly-report"),
    path("contracts/", include(contract_patterns)),
]
