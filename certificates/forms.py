import re

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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): a list, empty when none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


PEM_CSR = re.compile(r"-----BEGIN (NEW )?CERTIFICATE REQUEST-----.*?-----END (NEW )?CERTIFICATE REQUEST-----", re.S)


class CertificateBulkOrderForm(forms.Form):
    """Several certificates of one type and software at once: CSR files, and CSRs pasted one after
    the other (PEM). The service checks each one as one order (certificates.services)."""

    profile = forms.ChoiceField(label="Type de certificat", choices=ORDERABLE_PROFILE_CHOICES)
    software_name = forms.CharField(
        label="Logiciel", max_length=100,
        help_text="Un certificat ORG par type et par logiciel : plusieurs CSR d'un même logiciel servent les "
                  "certificats SSL_SERVEUR de ses serveurs, chacun nommé par sa CSR.",
    )
    csr_files = MultipleFileField(label="Demandes de certificat (CSR, PEM ou DER)", required=False,
                                  help_text="Sélectionnez plusieurs fichiers (100 CSR au plus par commande).")
    csr_bundle = forms.CharField(
        label="Ou collez les CSR (PEM), l'une après l'autre", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Chacune de « -----BEGIN CERTIFICATE REQUEST----- » à « -----END CERTIFICATE REQUEST----- ».",
    )

    def clean(self):
        data = super().clean()
        if not data.get("csr_files") and not (data.get("csr_bundle") or "").strip():
            raise forms.ValidationError("Joignez des fichiers CSR ou collez des CSR.")
        return data

    def csrs(self) -> list[tuple[str, bytes]]:
        """(how the page names it, its bytes) for each CSR, files first, in the order given."""
        found = [(f"fichier « {upload.name} »", upload.read(70_000)) for upload in self.cleaned_data["csr_files"]]
        bundle = self.cleaned_data.get("csr_bundle") or ""
        pasted = [match.group(0) for match in PEM_CSR.finditer(bundle)] or ([bundle] if bundle.strip() else [])
        found += [(f"CSR collée n° {number}", text.encode()) for number, text in enumerate(pasted, start=1)]
        return found


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
