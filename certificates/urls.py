"""The routes of the certificates app: its pages (namespace `certificates`) and its REST API (the forms
F413 and F503 are routed by the kernel from their declarations)."""

from django.urls import include, path

from esms_portal.workflow.form_pages import form_page_urls

from . import api, views

pages = [
    path("", views.home, name="home"),
    path("organisation/<uuid:organisation_pk>/", views.home, name="organisation"),
    path("organisation/<uuid:organisation_pk>/commander/", views.certificate_new, name="new"),
    path("organisation/<uuid:organisation_pk>/commander-plusieurs/", views.certificate_bulk_new, name="bulk_new"),
    *form_page_urls("certificates", new=("organisation/<uuid:organisation_pk>/{key}/", views.form_new),
                    detail=("{key}/<uuid:pk>/", views.form_detail)),
    path("<uuid:pk>/", views.certificate_detail, name="detail"),
    path("<uuid:pk>/telecharger/<str:fmt>/", views.certificate_download, name="download"),
    path("<uuid:pk>/pkcs12/", views.certificate_pkcs12, name="pkcs12"),
    path("<uuid:pk>/revoquer/", views.certificate_revoke, name="revoke"),
    path("<uuid:pk>/renouveler/", views.certificate_renew, name="renew"),
]
api_v1 = [
    path("certificates/", api.CertificateListApi.as_view(), name="api-certificate-list"),
    path("certificates/generated-key/", api.CertificateOrderGeneratedApi.as_view(),
         name="api-certificate-order-generated"),
    path("certificates/bulk/", api.CertificateOrderBulkApi.as_view(), name="api-certificate-order-bulk"),
    path("certificates/administrators/", api.TechnicalAdministratorListApi.as_view(),
         name="api-technical-administrator-list"),
    path("certificates/organisations/<uuid:pk>/readiness/", api.OrganisationCertificateReadinessApi.as_view(),
         name="api-certificate-readiness"),
    path("certificates/<uuid:pk>/", api.CertificateDetailApi.as_view(), name="api-certificate-detail"),
    path("certificates/<uuid:pk>/chain/pem/", api.CertificateChainPemApi.as_view(), name="api-certificate-chain-pem"),
    path("certificates/<uuid:pk>/chain/der/", api.CertificateChainDerApi.as_view(), name="api-certificate-chain-der"),
    path("certificates/<uuid:pk>/pkcs12/", api.CertificatePkcs12Api.as_view(), name="api-certificate-pkcs12"),
    path("certificates/<uuid:pk>/revoke/", api.CertificateRevokeApi.as_view(), name="api-certificate-revoke"),
    path("certificates/<uuid:pk>/renew/", api.CertificateRenewApi.as_view(), name="api-certificate-renew"),
]
urlpatterns = [
    path("certificats/", include((pages, "certificates"))),
    path("api/v1/", include(api_v1)),
]
