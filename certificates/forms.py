from django import forms

from esms_portal.models import RevocationReason

from .models import ORDERABLE_PROFILE_CHOICES, AdministratorChangeAction, StructureIdKind


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").replace(",", "\n").splitlines() if line.strip()]


class F413Form(forms.Form):
    structure_id_kind = forms.ChoiceField(label="La structure est identifiée par", choices=StructureIdKind.choices)
    structure_id = forms.CharField(label="Numéro FINESS géographique ou SIRET", max_length=20)
    certificate_types = forms.MultipleChoiceField(
        label="Types de certificats demandés", choices=ORDERABLE_PROFILE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    server_names = forms.CharField(
        label="Noms de domaine ou de serveur", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour SSL_SERVEUR : un nom par ligne (ex. dui.mon-esms.fr).",
    )
    software_names = forms.CharField(label="Logiciels concernés", required=False,
                                     help_text="Un par ligne (ex. le logiciel de dossier usager).",
                                     widget=forms.Textarea(attrs={"rows": 2}))
    administrator_emails = forms.CharField(
        label="Administrateurs techniques désignés (adresses électroniques)", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Vous-même, un salarié ou un prestataire (éditeur) : chacun doit déjà détenir une carte CPx active.",
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "structure_id_kind": data["structure_id_kind"], "structure_id": data["structure_id"],
            "certificate_types": data["certificate_types"], "server_names": _lines(data["server_names"]),
            "software_names": _lines(data["software_names"]),
            "administrator_emails": _lines(data["administrator_emails"]),
        }


class F503Form(forms.Form):
    action = forms.ChoiceField(label="Votre demande", choices=AdministratorChangeAction.choices,
                               widget=forms.RadioSelect)
    administrator_email = forms.EmailField(
        label="Adresse électronique de l'administrateur technique",
        help_text="Pour un ajout, la personne a déjà un compte du portail et une carte CPx active.",
    )

    def service_arguments(self) -> dict:
        return {"action": self.cleaned_data["action"], "administrator_email": self.cleaned_data["administrator_email"]}


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


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))
