"""The routes of the contracts app: FINESS structures (namespace `structures`), the adhesion contract
(`contracts`) and their REST API."""

from django.urls import include, path

from . import api, contract_api, contract_views, views

structures = [
    path("recherche/", views.structure_search, name="search"),
    path("<uuid:pk>/", views.structure_detail, name="detail"),
    path("<uuid:pk>/signaler-une-anomalie/", views.anomaly_report, name="anomaly"),
]
contracts = [
    path("", contract_views.contract_home, name="home"),
    path("<int:pk>/", contract_views.contract_detail, name="detail"),
    path("<int:pk>/modifier/", contract_views.contract_edit, name="edit"),
    path("<int:pk>/actes/<slug:act>/", contract_views.contract_act, name="act"),
    path("<int:pk>/messages/", contract_views.contract_message, name="message"),
    path("<int:pk>/justificatif/", contract_views.contract_proof, name="proof"),
]
contract_api_v1 = [
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
api_v1 = [
    path("structures/", api.StructureListApi.as_view(), name="api-structure-list"),
    path("structures/<uuid:pk>/", api.StructureDetailApi.as_view(), name="api-structure-detail"),
    path("structures/<uuid:pk>/anomalies/", api.AnomalyReportApi.as_view(), name="api-anomaly-report"),
    path("contracts/", include(contract_api_v1)),
]
urlpatterns = [
    path("structures/", include((structures, "structures"))),
    path("contrats/", include((contracts, "contracts"))),
    path("api/v1/", include(api_v1)),
]
