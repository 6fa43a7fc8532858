from django.urls import path

from . import views

app_name = "structures"
urlpatterns = [
    path("recherche/", views.structure_search, name="search"),
    path("<uuid:pk>/", views.structure_detail, name="detail"),
    path("<uuid:pk>/signaler-une-anomalie/", views.anomaly_report, name="anomaly"),
]
