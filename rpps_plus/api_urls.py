from django.urls import path

from . import api

urlpatterns = [
    path("annuaire/", api.DirectorySearchApi.as_view(), name="api-rpps-directory"),
    path("annuaire/<int:pk>/", api.DirectoryEntryApi.as_view(), name="api-rpps-directory-entry"),
    path("situations/", api.SituationListApi.as_view(), name="api-rpps-situation-list"),
    path("situations/<int:pk>/", api.SituationDetailApi.as_view(), name="api-rpps-situation-detail"),
    path("situations/<int:pk>/<str:act>/", api.SituationActApi.as_view(), name="api-rpps-situation-act"),
    path("imports/", api.BulkImportApi.as_view(), name="api-rpps-import"),
    path("imports/<uuid:pk>/confirm/", api.BulkImportConfirmApi.as_view(), name="api-rpps-import-confirm"),
]
