from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """What the app adds to the kernel is declared in `certificates/portal.py`."""

    name = "certificates"
    verbose_name = "Certificats logiciels"
