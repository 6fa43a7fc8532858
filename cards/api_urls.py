from django.urls import path

from . import api

urlpatterns = [
    path("cards/", api.CardListApi.as_view(), name="api-card-list"),
    path("cards/<uuid:pk>/", api.CardDetailApi.as_view(), name="api-card-detail"),
    path("cards/<uuid:pk>/oppose/", api.CardOpposeApi.as_view(), name="api-card-oppose"),
    path("cards/<uuid:pk>/incidents/", api.CardIncidentsApi.as_view(), name="api-card-incidents"),
    path("cards/<uuid:pk>/activate/", api.CardActivateApi.as_view(), name="api-card-activate"),
    path("cards/<uuid:pk>/holder/", api.CardHolderUpdateApi.as_view(), name="api-card-holder"),
    path("card-forms/f414/", api.F414ListApi.as_view(), name="api-f414-list"),
]
