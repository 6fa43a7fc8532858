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
    path("<int:pk>/justificatif/", contract_views.contract_proof, name="proof"),
]
contract_api_v1 = [
    path("", contract_api.ContractListApi.as_view(), name="api-contract-list"),
    path("<int:pk>/", contract_api.ContractDetailApi.as_view(), name="api-contract-detail"),
    *contract_api.contract_act_urls(),
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
