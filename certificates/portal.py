"""What the certificates app adds to the kernel (esms_portal.core.extensions): the forms F413 and F503,
the renewal reminder step, its onboarding milestones and demo data.

Each form is declared once here (its machine and prerequisites are on its model, its filing and its
effect on acceptance in services.py).
"""

from django import forms
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from esms_portal.core.extensions import PortalExtension, StepHandler, WebhookEvent
from esms_portal.workflow.declarations import FormType
from esms_portal.workflow.form_api import FormSerializer, FormSummarySerializer

from . import demo, selectors, services, steps
from .api import OrganisationInput, PersonSerializer, lines_field
from .forms import split_lines
from .models import (
    ORDERABLE_PROFILE_CHOICES,
    AdministratorChange,
    AdministratorChangeAction,
    AdministratorDesignation,
    StructureIdKind,
)
from .onboarding import CertificatesProvider


class CertificateFormType(FormType):
    """What F413 and F503 share: filed and answered by the legal representative or a mandataire (R-CER-2),
    read by them and the technical administrators, instructed by ANS agents."""

    file_act = respond_act = "f413.file"
    view_act = "f413.view"
    instruct_act = "f413.instruct"
    decision_mail = "certificates/mail/form_decision.txt"
    api_path = operation_prefix = "certificates"
    api_tags = ("formulaires de certificats",)
    Summary = FormSummarySerializer
    list_doc = """Base of the forms' lists (GET, scoped) and filing (POST): 404 for an organisation out of
reach, 403 `forbidden_act`, 409 `filer_card_required`, `contract_required`, `f413_required`,
`administrator_card_required` (a member of the organisation without a card), 400 `structure_id_invalid`,
`siret_not_allowed` (an organisation with patients names a FINESS géographique), `siret_not_own`,
`certificate_types_required`, `server_name_required`, `administrator_not_designable` (one answer for whoever
the filer cannot know: no account, an outsider without a card, an ANS agent), `not_an_administrator`,
`action_required`."""

    def __init__(self):
        self.detail_url = f"certificates:{self.key}_detail"
        self.filing_template = f"certificates/{self.key}_form.html"
        self.filed_message = f"Votre {self.number} est déposée : un agent de l'ANS va l'instruire."


class F413(CertificateFormType):
    model = AdministratorDesignation
    key, number = "f413", "F413"
    title = queue_label = "F413 — administrateurs techniques"
    filing_summary = "Déposer une F413 : désigner des administrateurs techniques"

    @extend_schema_serializer(component_name="F413")
    class Output(FormSerializer):
        structure_id_kind = serializers.CharField()
        structure_id = serializers.CharField()
        certificate_types = serializers.ListField(child=serializers.CharField())
        server_names = serializers.ListField(child=serializers.CharField())
        software_names = serializers.ListField(child=serializers.CharField())
        administrators = serializers.SerializerMethodField()

        @extend_schema_field(PersonSerializer(many=True))
        def get_administrators(self, form):
            return PersonSerializer(selectors.designees(form, self.context["request"].user), many=True).data

    # Choices are checked by the services, which answer their own codes (structure_id_invalid...).
    @extend_schema_serializer(component_name="F413Input")
    class Input(OrganisationInput):
        structure_id_kind = serializers.CharField(help_text=f"{', '.join(StructureIdKind.values)} (R-CER-3).")
        structure_id = serializers.CharField(
            max_length=20, help_text="FINESS géographique d'un site de l'EJ ; SIRET de la structure seulement "
            "si elle ne prend en charge ni patients ni usagers (R-FIN-3)."
        )
        certificate_types = lines_field(f"Parmi {', '.join(v for v, _ in ORDERABLE_PROFILE_CHOICES)}.")
        server_names = lines_field("Obligatoire pour SSL_SERVEUR : noms de domaine ou de serveur.")
        software_names = lines_field("Logiciels concernés.")
        administrator_emails = lines_field(
            "Administrateurs désignés : chacun détient déjà une carte CPx active (R-CER-1)."
        )

    def case_people(self, form):
        return [user.get_full_name() for user in form.administrators.all()]

    filing = staticmethod(services.f413_file)
    effect = staticmethod(services.f413_take_effect)

    class PageForm(forms.Form):
        structure_id_kind = forms.ChoiceField(label="La structure est identifiée par", choices=StructureIdKind.choices)
        structure_id = forms.CharField(label="Numéro FINESS géographique ou SIRET", max_length=20)
        certificate_types = forms.MultipleChoiceField(
            label="Types de certificats demandés", choices=ORDERABLE_PROFILE_CHOICES,
            widget=forms.CheckboxSelectMultiple,
        )
        server_names = forms.CharField(
            label="Noms de domaine ou de serveur", required=False, widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Obligatoire pour SSL_SERVEUR : un nom par ligne (ex. dui.mon-esms.fr).",
        )
        software_names = forms.CharField(label="Logiciels concernés", required=False,
                                         help_text="Un par ligne (ex. le logiciel de dossier usager).",
                                         widget=forms.Textarea(attrs={"rows": 2}))
        administrator_emails = forms.CharField(
            label="Administrateurs techniques désignés (adresses électroniques)",
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=(
                "Vous-même, un salarié ou un prestataire (éditeur) : chacun doit déjà détenir une carte CPx active."
            ),
        )

        def service_arguments(self) -> dict:
            data = self.cleaned_data
            return {
                "structure_id_kind": data["structure_id_kind"], "structure_id": data["structure_id"],
                "certificate_types": data["certificate_types"], "server_names": split_lines(data["server_names"]),
                "software_names": split_lines(data["software_names"]),
                "administrator_emails": split_lines(data["administrator_emails"]),
            }


class F503(CertificateFormType):
    model = AdministratorChange
    key, number = "f503", "F503"
    title = queue_label = "F503 — changements d'administrateur"
    filing_summary = "Déposer une F503 : ajouter ou retirer un administrateur technique"

    @extend_schema_serializer(component_name="F503")
    class Output(FormSerializer):
        action = serializers.CharField()
        action_label = serializers.CharField(source="get_action_display")
        administrator = serializers.SerializerMethodField()

        @extend_schema_field(PersonSerializer)
        def get_administrator(self, form):
            return PersonSerializer(selectors.designees(form, self.context["request"].user)[0]).data

    @extend_schema_serializer(component_name="F503Input")
    class Input(OrganisationInput):
        action = serializers.CharField(help_text=f"{', '.join(AdministratorChangeAction.values)}.")
        administrator_email = serializers.CharField(max_length=254)

    def case_people(self, form):
        return [form.administrator.get_full_name()]

    filing = staticmethod(services.f503_file)
    effect = staticmethod(services.f503_take_effect)

    class PageForm(forms.Form):
        action = forms.ChoiceField(label="Votre demande", choices=AdministratorChangeAction.choices,
                                   widget=forms.RadioSelect)
        administrator_email = forms.EmailField(
            label="Adresse électronique de l'administrateur technique",
            help_text="Pour un ajout, la personne a déjà un compte du portail et une carte CPx active.",
        )

        def service_arguments(self) -> dict:
            data = self.cleaned_data
            return {"action": data["action"], "administrator_email": data["administrator_email"]}

    def page_context(self, organisation) -> dict:
        return {"administrators": selectors.active_administrators(organisation.pk)}


EXTENSION = PortalExtension(
    requests=(F413(), F503()),
    step_handlers=(
        StepHandler(services.REMINDER_STEP, "Certificat : rappel de renouvellement", steps.renewal_reminder),
    ),
    onboarding=(CertificatesProvider,),
    demo=demo.load_demo_data,
    webhook_events=(
        WebhookEvent("certificate.issued", "Un certificat logiciel est émis", "certificate",
                     model="certificates.CertificateOrder", acts=("order", "renew")),
        WebhookEvent("certificate.revoked", "Un certificat logiciel est révoqué", "certificate",
                     model="certificates.CertificateOrder", acts=("revoke",)),
        # Sent by the renewal reminder's timed step, 30 days before expiry (services.certificate_remind_renewal).
        WebhookEvent("certificate.expiring", "Un certificat logiciel arrive à échéance", "certificate",
                     model="certificates.CertificateOrder", state="expiring"),
    ),
)
