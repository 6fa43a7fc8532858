from django.urls import path

from esms_portal.pki import views

urlpatterns = [
    path("crl/<slug:authority>.crl", views.crl, name="pki-crl"),
    path("ca/<slug:authority>.crt", views.ca, name="pki-ca"),
]
