"""The routes of RPPS+: its pages (namespace `rpps_plus`), public ones included, and its REST API."""

from django.urls import include, path

from . import api, extract_views, public_views, views

pages = [
    path("", views.home, name="home"),
    path("etablissements/<uuid:pk>/", views.site_professionals, name="site"),
    path("enregistrer/", views.register, name="register"),
    path("situations/<int:pk>/", views.situation_detail, name="situation"),
    path("situations/<int:pk>/<slug:act>/", views.situation_act, name="situation_act"),
    path("import/", views.bulk_upload, name="bulk_upload"),
    path("import/<uuid:pk>/", views.bulk_preview, name="bulk_preview"),
    path("trame-de-recueil.csv", views.blank_template, name="blank_template"),
    path("habilitations/", views.rights, name="rights"),
    path("habilitations/<int:user_pk>/retirer/", views.rights_withdraw, name="rights_withdraw"),
    path("analyse/<int:pk>/", views.analysis, name="analysis"),
    # Without a portal account.
    path("annuaire/", public_views.directory, name="directory"),
    path("annuaire/<int:pk>/", public_views.directory_entry, name="directory_entry"),
    path("annuaire/extraction/", extract_views.public_extract, name="public_extract"),
    path("annuaire/extraction/metadonnees.json", extract_views.public_extract_metadata,
         name="public_extract_metadata"),
    path("annuaire/extraction/PS_LibreAcces_Personne_activite.txt", extract_views.public_extract_file,
         name="public_extract_file"),
    path("pre-inscription/", public_views.signup, name="signup"),
    path("pre-inscription/<uuid:pk>/", public_views.signup_verify, name="signup_verify"),
    path("e-cps/", public_views.ecps_start, name="ecps_start"),
    path("e-cps/activation/<int:pk>/", public_views.ecps_activate, name="ecps_activate"),
    path("e-cps/connexion/", public_views.ecps_login, name="ecps_login"),
    path("e-cps/connexion/<int:pk>/", public_views.ecps_login_verify, name="ecps_login_verify"),
    path("e-cps/mobile/", public_views.holder_mobile, name="holder_mobile"),
    path("mon-espace/", public_views.my_space, name="my_space"),
]
api_v1 = [
    path("annuaire/", api.DirectorySearchApi.as_view(), name="api-rpps-directory"),
    path("annuaire/<int:pk>/", api.DirectoryEntryApi.as_view(), name="api-rpps-directory-entry"),
    path("situations/", api.SituationListApi.as_view(), name="api-rpps-situation-list"),
    path("situations/<int:pk>/", api.SituationDetailApi.as_view(), name="api-rpps-situation-detail"),
    path("situations/<int:pk>/<str:act>/", api.SituationActApi.as_view(), name="api-rpps-situation-act"),
    path("imports/", api.BulkImportApi.as_view(), name="api-rpps-import"),
    path("imports/<uuid:pk>/confirm/", api.BulkImportConfirmApi.as_view(), name="api-rpps-import-confirm"),
]
urlpatterns = [
    path("rpps/", include((pages, "rpps_plus"))),
    path("api/v1/rpps/", include(api_v1)),
    path("fhir/", include("rpps_plus.fhir.urls")),  # the Annuaire Santé in FHIR R4 (rpps_plus/fhir)
]
