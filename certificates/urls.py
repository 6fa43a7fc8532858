from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/<uuid:organisation_pk>/", views.home, name="organisation"),
    path("organisation/<uuid:organisation_pk>/f413/", views.f413_new, name="f413_new"),
    path("organisation/<uuid:organisation_pk>/f503/", views.f503_new, name="f503_new"),
    path("organisation/<uuid:organisation_pk>/commander/", views.certificate_new, name="new"),
    path("f413/<uuid:pk>/", views.f413_detail, name="f413_detail"),
    path("f503/<uuid:pk>/", views.f503_detail, name="f503_detail"),
    path("<uuid:pk>/", views.certificate_detail, name="detail"),
    path("<uuid:pk>/telecharger/<str:fmt>/", views.certificate_download, name="download"),
    path("<uuid:pk>/pkcs12/", views.certificate_pkcs12, name="pkcs12"),
    path("<uuid:pk>/revoquer/", views.certificate_revoke, name="revoke"),
    path("<uuid:pk>/renouveler/", views.certificate_renew, name="renew"),
]
