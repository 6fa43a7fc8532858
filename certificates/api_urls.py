from django.urls import path

from . import api

urlpatterns = [
    path("certificates/", api.CertificateListApi.as_view(), name="api-certificate-list"),
    path("certificates/generated-key/", api.CertificateOrderGeneratedApi.as_view(),
         name="api-certificate-order-generated"),
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
