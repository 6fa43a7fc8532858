from django.urls import path

from . import api

urlpatterns = [
    path("structures/", api.StructureListApi.as_view(), name="api-structure-list"),
    path("structures/<uuid:pk>/", api.StructureDetailApi.as_view(), name="api-structure-detail"),
    path("structures/<uuid:pk>/anomalies/", api.AnomalyReportApi.as_view(), name="api-anomaly-report"),
]
