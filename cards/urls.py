"""The routes of the cards app: its pages (namespace `cards`), card login (`card_login`) and its REST API
(the forms F101, F301 and F502 are routed by the kernel from their declarations)."""

from django.urls import include, path

from esms_portal.workflow.form_pages import form_page_urls

from . import api, login_views, views

pages = [
    path("", views.fleet, name="fleet"),
    path("demandes/", views.forms_list, name="forms"),
    path("<uuid:pk>/", views.card_detail, name="card_detail"),
    path("<uuid:pk>/activer/", views.card_activate, name="activate"),
    path("<uuid:pk>/opposer/", views.card_oppose, name="oppose"),
    path("<uuid:pk>/incident/", views.card_incident, name="incident"),
    path("<uuid:pk>/porteur/", views.card_update_holder, name="update_holder"),
    path("f301/nouvelle/", views.f301_new, name="f301_new"),  # its lines: the generic page has one form
    path("f414/nouvelle/", views.f414_new, name="f414_new"),
    path("<slug:key>/<uuid:pk>/actes/<slug:act>/", views.form_act, name="form_act"),
    *form_page_urls("cards", new=("{key}/nouvelle/", views.form_new), detail=("{key}/<uuid:pk>/", views.form_detail)),
]
login = [
    path("", login_views.login_page, name="page"),
    path("lecteur/", login_views.login_with_reader, name="reader"),
    path("defi/", login_views.challenge, name="challenge"),
    path("agent/", login_views.login_with_agent, name="agent"),
    path("fin/", login_views.end, name="end"),
    path("retrait/", login_views.agent_removed, name="agent_removed"),
    path("etat/", login_views.state, name="state"),
    path("agent-de-carte.zip", login_views.agent_download, name="agent_download"),
]
api_v1 = [
    path("cards/", api.CardListApi.as_view(), name="api-card-list"),
    path("cards/<uuid:pk>/", api.CardDetailApi.as_view(), name="api-card-detail"),
    path("cards/<uuid:pk>/oppose/", api.CardOpposeApi.as_view(), name="api-card-oppose"),
    path("cards/<uuid:pk>/incidents/", api.CardIncidentsApi.as_view(), name="api-card-incidents"),
    path("cards/<uuid:pk>/activate/", api.CardActivateApi.as_view(), name="api-card-activate"),
    path("cards/<uuid:pk>/holder/", api.CardHolderUpdateApi.as_view(), name="api-card-holder"),
    path("card-forms/f414/", api.F414ListApi.as_view(), name="api-f414-list"),
]
urlpatterns = [
    path("cartes/", include((pages, "cards"))),
    path("connexion/carte/", include((login, "card_login"))),
    path("api/v1/", include(api_v1)),
]
