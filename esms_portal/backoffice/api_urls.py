"""The back office's REST routes, under /api/v1/back-office/ (esms_portal.urls)."""

from django.urls import path

from esms_portal.backoffice import api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="api-backoffice-cases"),
    path("counts/", api.CaseCountsApi.as_view(), name="api-backoffice-counts"),
    path("labels/", api.LabelListApi.as_view(), name="api-backoffice-labels"),
    path("labels/<int:pk>/", api.LabelApi.as_view(), name="api-backoffice-label"),
    path("export/", api.CaseExportApi.as_view(), name="api-backoffice-export"),
    path("export/<uuid:pk>/", api.CaseExportJobApi.as_view(), name="api-backoffice-export-job"),
    path("export/<uuid:pk>/fichier/", api.CaseExportFileApi.as_view(), name="api-backoffice-export-file"),
    path("cases/<str:ref>/", api.CaseDetailApi.as_view(), name="api-backoffice-case"),
    path("cases/<str:ref>/take/", api.CaseTakeApi.as_view(), name="api-backoffice-take"),
    path("cases/<str:ref>/release/", api.CaseReleaseApi.as_view(), name="api-backoffice-release"),
    path("cases/<str:ref>/follow/", api.CaseFollowApi.as_view(), name="api-backoffice-follow"),
    path("cases/<str:ref>/assign/", api.CaseAssignApi.as_view(), name="api-backoffice-assign"),
    path("cases/<str:ref>/labels/", api.CaseLabelsApi.as_view(), name="api-backoffice-case-labels"),
    path("cases/<str:ref>/notes/", api.CaseNotesApi.as_view(), name="api-backoffice-notes"),
]
