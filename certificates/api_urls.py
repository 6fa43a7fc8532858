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
for key, views in api.FORM_APIS.items():
    urlpatterns += [
        path(f"certificates/{key}/", views["list"].as_view(), name=f"api-{key}-list"),
        path(f"certificates/{key}/<uuid:pk>/", views["detail"].as_view(), name=f"api-{key}-detail"),
    ]
    urlpatterns += [
        path(f"certificates/{key}/<uuid:pk>/{act.replace('_', '-')}/", view.as_view(), name=f"api-{key}-{act}")
        for act, view in views["acts"].items()
    ]
