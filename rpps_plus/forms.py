"""Forms of the RPPS+ pages: they parse fields; the services check the rules (French messages)."""

from django import forms
from django.utils import timezone

from esms_portal.core.uploads import FileTooLarge, refuse_too_large
from esms_portal.core.widgets import ConstantSelect

from .models import Civility
from .nomenclatures import OTHER_PROFESSION, PROFESSIONS, ROLE_CHOICES, profession_code, registrable_profession_names
from .services.bulk import MAX_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def profession_choices():
    return [("", "— Choisir —"), *((name, name) for name in registrable_profession_names()),
            (OTHER_PROFESSION, "Autre profession (analysée par l'ANS)")]


class ProfessionField(forms.ChoiceField):
    """A profession chosen by its name (the FAQ's words) or given by its J121 code; the service
    stores the code (R-RPP-7)."""

    def valid_value(self, value):
        return value == OTHER_PROFESSION or profession_code(value) is not None


class PersonFields(forms.Form):
    """R-RPP-8: civil status, contact, one exercise situation; R-RPP-14: an existing number."""

    civility = forms.ChoiceField(label="Civilité", choices=[("", "— Choisir —"), *Civility.choices])
    last_name = forms.CharField(label="Nom de naissance", max_length=100)
    first_names = forms.CharField(label="Prénoms", max_length=150,
                                  help_text="Tous les prénoms, dans l'ordre de l'état civil.")
    birth_date = forms.DateField(label="Date de naissance", widget=DATE)
    birth_commune_code = forms.CharField(label="Commune de naissance (code INSEE)", max_length=5, required=False,
                                         help_text="Ex. 69123. Laissez vide pour une naissance à l'étranger.")
    birth_country_code = forms.CharField(label="Pays de naissance (code INSEE)", max_length=5, required=False,
                                         help_text="Naissance à l'étranger uniquement, ex. 99134 (Espagne).")
    email = forms.EmailField(label="Adresse électronique", help_text="Jamais publiée.")
    mobile = forms.CharField(label="Téléphone mobile", max_length=20, help_text="Jamais publié. Ex. 06 12 34 56 78.")
    practice_last_name = forms.CharField(label="Nom d'exercice", max_length=100, required=False,
                                         help_text="Nom d'usage dans l'exercice ; le nom de naissance par défaut.")
    practice_first_name = forms.CharField(label="Prénom d'exercice", max_length=100, required=False)
    profession_code = ProfessionField(label="Profession", choices=profession_choices)
    profession_other = forms.CharField(label="Autre profession (à préciser)", max_length=120, required=False,
                                       help_text="Une profession hors liste est analysée par l'ANS.")
    role_code = forms.ChoiceField(label="Rôle", choices=[("", "— Choisir —"), *ROLE_CHOICES])
    start_date = forms.DateField(label="Date de début d'exercice", widget=DATE)
    existing_number = forms.CharField(
        label="Numéro RPPS ou ADELI existant", max_length=11, required=False,
        help_text="S'il en a un, le professionnel n'a pas besoin d'enregistrement RPPS+.",
    )


class RegistrationForm(PersonFields):
    site = forms.ModelChoiceField(label="Établissement (FINESS géographique)", queryset=None, empty_label="— Choisir —")

    field_order = ["site"]

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].label_from_instance = lambda site: f"{site.finess} — {site.name}"


class SignUpForm(PersonFields):
    site_finess = forms.CharField(label="FINESS géographique de votre établissement employeur", max_length=9,
                                  help_text="9 caractères, indiqués par votre employeur.")

    field_order = ["site_finess"]


class CodesForm(forms.Form):
    email_code = forms.CharField(label="Code reçu par courriel", max_length=6)
    sms_code = forms.CharField(label="Code reçu par SMS", max_length=6)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class EndForm(forms.Form):
    end_date = forms.DateField(label="Date de fin", widget=DATE, initial=timezone.localdate)


class RoleForm(forms.Form):
    role_code = forms.ChoiceField(label="Nouveau rôle", choices=ROLE_CHOICES)


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label="Personnel détenteur d'une carte CPE", queryset=None,
                                  empty_label="— Choisir —")
    sites = forms.ModelMultipleChoiceField(
        label="Établissements", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : tous les établissements de l'organisation (gestion centralisée).",
    )

    def __init__(self, *args, staff, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        self.fields["sites"].queryset = sites
        self.fields["sites"].label_from_instance = lambda site: f"{site.finess} — {site.name}"


class ImportForm(forms.Form):
    file = forms.FileField(label="Trame de recueil (CSV ou XLSX)",
                           help_text="Une ligne par professionnel ; 10 Mo au plus.")

    def add_error(self, field, error):
        # A refused import is the file's problem (unreadable, columns missing...): shown under it.
        super().add_error(field or "file", error)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            refuse_too_large(upload, MAX_BYTES)  # from its size: the view reads it only below the cap
        except FileTooLarge as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return upload


class DirectoryForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=100, required=False, help_text="Début du nom d'exercice.")
    rpps = forms.CharField(label="Numéro RPPS", max_length=11, required=False)
    profession = forms.ChoiceField(label="Profession", required=False, widget=ConstantSelect,
                                   choices=[("", "Toutes"), *sorted(PROFESSIONS.items(), key=lambda c: c[1])])
    role = forms.ChoiceField(label="Rôle", required=False, choices=[("", "Tous"), *ROLE_CHOICES],
                             widget=ConstantSelect)
    site = forms.CharField(label="FINESS de l'établissement", max_length=9, required=False)

    def has_criteria(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


IDENTIFIER_HELP = ("8 suivi de votre numéro RPPS (12 chiffres), ou l'identifiant imprimé sur la 1re ligne de "
                   "votre carte CPx (ex. 30B7280221/CPET00001).")


class EcpsStartForm(forms.Form):
    identifier = forms.CharField(label="Identifiant e-CPS", max_length=40, help_text=IDENTIFIER_HELP)


class EcpsActivateForm(CodesForm):
    pin = forms.CharField(label="Code PIN choisi", max_length=8, widget=forms.PasswordInput,
                          help_text="4 à 8 chiffres, ni suite ni chiffres répétés.")
    pin_confirmation = forms.CharField(label="Confirmation du code PIN", max_length=8, widget=forms.PasswordInput)


class EcpsLoginForm(forms.Form):
    identifier = forms.CharField(label="Identifiant e-CPS", max_length=40, help_text=IDENTIFIER_HELP)


class EcpsLoginCodeForm(forms.Form):
    code = forms.CharField(label="Code reçu par SMS", max_length=6)
    pin = forms.CharField(label="Code PIN", max_length=8, widget=forms.PasswordInput)


class HolderMobileForm(forms.Form):
    mobile = forms.CharField(label="Téléphone mobile", max_length=20, help_text="Ex. 06 12 34 56 78. Jamais publié.")


class ContactForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique")
    mobile = forms.CharField(label="Téléphone mobile", max_length=20)


class ProfessionChoiceForm(forms.Form):
    """The ANS's answer to an unlisted profession: the TRE_R85 code it settles on."""

    profession_code = forms.ChoiceField(label="Profession retenue (TRE_R85)",
                                        choices=[("", "—"), *sorted(PROFESSIONS.items(), key=lambda c: c[0])],
                                        error_messages={"required": "Choisissez la profession retenue."})