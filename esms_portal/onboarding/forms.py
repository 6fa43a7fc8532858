from django import forms
from django.contrib.auth import get_user_model

from esms_portal.models import MssanteMode, OperatorKind

YES_NO_UNKNOWN = [("", "Je ne sais pas encore"), ("yes", "Oui"), ("no", "Non")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeclarationForm(forms.Form):
    insi_by_certificate = forms.ChoiceField(
        label="Votre logiciel (DUI) appelle-t-il le téléservice INSi par certificat ?", choices=YES_NO_UNKNOWN,
        required=False, widget=forms.RadioSelect,
        help_text="Si oui, l'administrateur technique commande le certificat INSi et une auto-homologation est "
                  "nécessaire ; sinon, les personnels qui qualifient les identités ont besoin d'une carte.",
    )
    insi_self_homologation_on = forms.DateField(label="Auto-homologation INSi réalisée le", required=False,
                                                widget=DATE, help_text="Format attendu : JJ/MM/AAAA")
    identity_qualifiers = forms.ModelMultipleChoiceField(
        label="Personnels qui qualifient les identités (appel INSi, vérification de l'identité)",
        queryset=get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    mssante_mode = forms.ChoiceField(label="Raccordement à MSSanté", required=False, widget=forms.RadioSelect,
                                     choices=[("", "Pas encore choisi"), *MssanteMode.choices])
    mssante_operator = forms.CharField(label="Opérateur tiers choisi", max_length=120, required=False,
                                       help_text="Nom de la solution industrielle ou régionale.")
    mssante_operator_kind = forms.ChoiceField(label="Type d'opérateur", required=False,
                                              choices=[("", "Non précisé"), *OperatorKind.choices])
    operator_contract_on = forms.DateField(label="Contrat opérateur transmis le", required=False, widget=DATE)
    operator_annex1_on = forms.DateField(label="Annexe 1 transmise le", required=False, widget=DATE)
    operator_annex2_on = forms.DateField(label="Annexe 2 transmise le", required=False, widget=DATE)
    rpps_plus_needed = forms.BooleanField(
        label="Des professionnels à rôle de nos établissements doivent être enregistrés dans le RPPS (RPPS+)",
        required=False, help_text="L'enregistrement n'est pas obligatoire : il répond à un besoin (BAL MSSanté "
                                  "nominative, e-CPS).",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identity_qualifiers"].queryset = candidates
        self.fields["identity_qualifiers"].label_from_instance = lambda u: u.get_full_name() or u.email

    @classmethod
    def initial_from(cls, declaration) -> dict:
        if declaration is None:
            return {"rpps_plus_needed": True}
        by_certificate = {True: "yes", False: "no", None: ""}[declaration.insi_by_certificate]
        initial = {name: getattr(declaration, name) for name in (
            "insi_self_homologation_on", "mssante_mode", "mssante_operator", "mssante_operator_kind",
            "operator_contract_on", "operator_annex1_on", "operator_annex2_on", "rpps_plus_needed")}
        return {**initial, "insi_by_certificate": by_certificate,
                "identity_qualifiers": list(declaration.identity_qualifiers.all())}

    def clean(self):
        data = super().clean()
        if data.get("mssante_mode") == MssanteMode.THIRD_PARTY and not data.get("mssante_operator"):
            self.add_error("mssante_operator", "Indiquez l'opérateur MSSanté choisi.")
        return data

    def declaration_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("identity_qualifiers")
        data["insi_by_certificate"] = {"yes": True, "no": False}.get(data["insi_by_certificate"])
        return data
