from django import forms

from esms_portal.models import RevocationReason

from .models import ORDERABLE_PROFILE_CHOICES


def split_lines(value: str) -> list[str]:
    """A textarea's entries, one a line (commas too)."""
    return [line.strip() for line in (value or "").replace(",", "\n").splitlines() if line.strip()]


class CertificateOrderForm(forms.Form):
    profile = forms.ChoiceField(label="Type de certificat", choices=ORDERABLE_PROFILE_CHOICES)
    software_name = forms.CharField(label="Logiciel", max_length=100,
                                    help_text="Un certificat ORG sert tous les sites qui utilisent ce logiciel.")
    common_name = forms.CharField(
        label="Nom du certificat (CN)", required=False, max_length=64,
        help_text="INSI-AUTO ou INSI-MANU pour l'INSi ; le nom du serveur pour SSL_SERVEUR ; sinon celui de la CSR.",
    )
    csr_file = forms.FileField(label="Demande de certificat (CSR, PEM ou DER)", required=False,
                               help_text="Recommandé : la clé privée reste sur votre serveur.")
    passphrase = forms.CharField(
        label="Ou : phrase de passe du fichier PKCS#12 généré par le portail", required=False,
        widget=forms.PasswordInput, help_text="12 caractères au moins. Le fichier ne se télécharge qu'une fois.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("csr_file") and not data.get("passphrase"):
            raise forms.ValidationError("Joignez une CSR ou choisissez une phrase de passe.")
        return data

    def csr_bytes(self):
        upload = self.cleaned_data.get("csr_file")
        return upload.read(70_000) if upload else None


class RenewForm(forms.Form):
    """What the certificate page posts to renew: a new CSR, or a passphrase for a generated key."""

    csr_file = forms.FileField(required=False, allow_empty_file=True)
    passphrase = forms.CharField(required=False, strip=False)

    def csr_bytes(self):
        upload = self.cleaned_data.get("csr_file")
        return upload.read(70_000) if upload else None


class RevokeForm(forms.Form):
    revocation_reason = forms.ChoiceField(label="Motif", choices=RevocationReason.choices)
    reason = forms.CharField(label="Précisez", max_length=500)
