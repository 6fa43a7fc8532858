"""What the cards app adds to the kernel (esms_portal.core.extensions): the forms F101, F301 and F502,
the timed steps of a card's life, its onboarding milestones, the card session's check and demo data.

Each form is declared once here: number, title, who files, instructs and answers it, its decision
mail, its effect on acceptance, its queue and its REST serializers (its machine and prerequisites
are on its model, its filing and effect in services/forms.py).
"""

from django import forms
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from esms_portal.core.extensions import PortalExtension, StepHandler, WebhookEvent
from esms_portal.workflow.declarations import FormType
from esms_portal.workflow.form_api import FormSerializer, FormSummarySerializer

from . import demo, my_space, selectors, services, steps, ui_selectors
from .api import CardSummarySerializer, OrganisationInput
from .models import DirectorCardOrder, MandateAction, MandateRequest, StaffCardOrder
from .onboarding import CardsProvider


class CardFormType(FormType):
    """What F101, F301 and F502 share: instructed by ANS agents; the organisation's legal
    representative or a mandataire reads them, answers a completion request or withdraws (R-CRD-5)."""

    view_act = respond_act = "cardform.file"
    instruct_act = "cardform.instruct"
    window = "card_form_instruction"
    decision_mail = "cards/mail/form_decision.txt"
    api_path = "card-forms"
    api_tags = ("formulaires de cartes",)
    Summary = FormSummarySerializer
    list_doc = """The card forms of the caller's organisations (GET); filing (POST): 404 for an organisation
out of reach, 403 `forbidden_act`, 400 with the service's code (`invalid_lines` details per line...;
an F301 line that would give someone a second card: `mandataire_by_f502`, `second_card`, R-CRD-19),
409 `ordering_service_needs_card` or `contract_required`."""

    def __init__(self):
        self.detail_url = f"cards:{self.key}_detail"
        self.filing_summary = f"Déposer une {self.number}"
        self.filing_template = f"cards/{self.key}_new.html"


class F101(CardFormType):
    model = DirectorCardOrder
    key, number, title = "f101", "F101", "F101 — carte du représentant légal"
    file_act = "f101.file"

    @extend_schema_serializer(component_name="F101")
    class Output(FormSerializer):
        family = serializers.CharField()
        holder_last_name = serializers.CharField()
        holder_first_names = serializers.CharField()
        holder_title = serializers.CharField()
        delivery_address = serializers.CharField()
        card = serializers.UUIDField(source="card_id", allow_null=True)

    @extend_schema_serializer(component_name="F101Input")
    class Input(OrganisationInput):
        delivery_address = serializers.CharField(default="", allow_blank=True, max_length=500)
        holder_title = serializers.CharField(default="", allow_blank=True, max_length=120)

    def case_people(self, form):
        return [f"{form.holder_first_names} {form.holder_last_name}"]

    filing = staticmethod(services.f101_file)
    effect = staticmethod(services.f101_take_effect)
    filed_message = "F101 déposée : elle sera instruite avec votre contrat d'adhésion."

    class PageForm(forms.Form):
        holder_title = forms.CharField(
            label="Qualité du porteur", required=False, max_length=120, help_text="Par exemple : directeur, président."
        )
        delivery_address = forms.CharField(
            label="Adresse de livraison de la carte", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
        )


@extend_schema_serializer(component_name="CardFormLineInput")
class StaffLineInputSerializer(serializers.Serializer):
    # Blank values reach the service, which answers `invalid_lines` with the problems per line.
    last_name = serializers.CharField(default="", allow_blank=True, max_length=100)
    first_names = serializers.CharField(default="", allow_blank=True, max_length=150)
    email = serializers.CharField(default="", allow_blank=True, max_length=254)
    title = serializers.CharField(default="", allow_blank=True, max_length=120)
    delivery_address = serializers.CharField(default="", allow_blank=True, max_length=500)
    establishments = serializers.ListField(
        child=serializers.UUIDField(), default=list, help_text="Établissements (FINESS géographiques) de l'EJ."
    )
    make_mandataire = serializers.BooleanField(default=False)


@extend_schema_serializer(component_name="CardFormLine")
class StaffLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = serializers.CharField()
    last_name = serializers.CharField()
    first_names = serializers.CharField()
    email = serializers.CharField()
    title = serializers.CharField()
    delivery_address = serializers.CharField()
    establishments = serializers.SerializerMethodField()
    make_mandataire = serializers.BooleanField()
    card = serializers.UUIDField(source="card_id", allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_establishments(self, line):
        return [str(site.pk) for site in line.establishments.all()]


class F301(CardFormType):
    model = StaffCardOrder
    key, number, title = "f301", "F301", "F301 — cartes du personnel"
    file_act = "f301.file"

    @extend_schema_serializer(component_name="F301")
    class Output(FormSerializer):
        lines = serializers.SerializerMethodField()

        @extend_schema_field(StaffLineSerializer(many=True))
        def get_lines(self, order):
            return StaffLineSerializer(ui_selectors.form_lines(order), many=True).data

    @extend_schema_serializer(component_name="F301Input")
    class Input(OrganisationInput):
        lines = StaffLineInputSerializer(many=True, help_text="Une ligne par personne à équiper (R-CRD-3).")

    def case_people(self, form):
        return [f"{line.first_names} {line.last_name}" for line in form.lines.all()]

    filing = staticmethod(services.f301_file)
    effect = staticmethod(services.f301_take_effect)


class F502(CardFormType):
    model = MandateRequest
    key, number, title = "f502", "F502", "F502 — mandataire"
    queue_label = "F502 — mandataires"
    file_act = "f502.file"

    @extend_schema_serializer(component_name="F502")
    class Output(FormSerializer):
        action = serializers.CharField()
        designee_card = CardSummarySerializer()

    @extend_schema_serializer(component_name="F502Input")
    class Input(OrganisationInput):
        action = serializers.ChoiceField(choices=MandateAction.choices)
        designee_card = serializers.UUIDField(help_text="La carte du mandataire désigné ou retiré (R-CRD-4).")

    def file(self, *, actor, organisation, data):
        # The API names the designee's card by its id: reached through the caller's scope (404 otherwise).
        card = selectors.card_get_for_user(actor, data["designee_card"])
        return self.filing(actor=actor, organisation=organisation, action=data["action"], designee_card=card)

    def case_people(self, form):
        return [form.designee_card.holder_name]

    filing = staticmethod(services.f502_file)
    effect = staticmethod(services.f502_take_effect)
    filed_message = "F502 déposée : un agent de l'ANS va l'instruire."

    class PageForm(forms.Form):
        action = forms.ChoiceField(
            label="Demande", choices=MandateAction.choices, widget=forms.RadioSelect,
            error_messages={"required": "Choisissez : désigner ou retirer un mandataire."},
        )
        designee_card = forms.ModelChoiceField(
            label="Porteur de carte concerné", queryset=None, empty_label="Choisissez un porteur",
            help_text="Un mandataire doit détenir une carte valide et active.",
            error_messages={
                "required": "Choisissez le porteur concerné.", "invalid_choice": "Choisissez un porteur de la liste.",
            },
        )

        def __init__(self, *args, cards, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["designee_card"].queryset = cards
            self.fields["designee_card"].label_from_instance = lambda card: (
                f"{card.holder_name} — {card.get_family_display()} {card.national_id}"
            )

    def page_form_kwargs(self, organisation) -> dict:
        return {"cards": ui_selectors.designee_cards(organisation)}


EXTENSION = PortalExtension(
    requests=(F101(), F301(), F502()),
    step_handlers=(
        StepHandler("cards.start_production", "Carte : mise en fabrication", steps.start_production),
        StepHandler("cards.ship", "Carte : expédition", steps.ship),
        StepHandler("cards.deliver", "Carte : livraison", steps.deliver),
        StepHandler("cards.renew", "Carte : renouvellement un mois avant l'échéance", steps.renew),
        StepHandler("cards.expire", "Carte : fin de validité", steps.expire),
    ),
    onboarding=(CardsProvider,),
    card_check=selectors.card_is_usable,
    demo=demo.load_demo_data,
    home_panels=(my_space.my_cards_panel,),
    webhook_events=(
        WebhookEvent("card.state_changed", "Une carte CPx change d'état", "card", model="cards.Card",
                     on_state_change=True),
    ),
)
