"""The FHIR directory's routes (namespace `fhir`), under `/fhir/` (rpps_plus/urls.py)."""

from django.urls import path

from . import views

app_name = "fhir"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("<str:resource_type>", views.search_type, name="search"),
    path("<str:resource_type>/_search", views.search_post, name="search-post"),
    path("<str:resource_type>/<str:resource_id>", views.read, name="read"),
    path("", views.unknown, {"rest": ""}, name="base"),
    path("<path:rest>", views.unknown, name="unknown"),
]
