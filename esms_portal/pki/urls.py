from django.urls import path

from esms_portal.pki import views

urlpatterns = [
    path("crl/<slug:authority>.crl", views.crl, name="pki-crl"),
    path("ca/<slug:authority>.crt", views.ca, name="pki-ca"),
    path("ocsp/<slug:authority>", views.ocsp_responder, name="pki-ocsp"),
    path("ocsp/<slug:authority>/<path:encoded>", views.ocsp_responder, name="pki-ocsp-get"),
]
