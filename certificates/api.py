"""REST API of the certificates: F413 and F503 (file, read, instruct), the technical
administrators, and the certificate lifecycle (order from a CSR or with a generated key, download
the chain, hand the PKCS#12 over once, renew, revoke), and an organisation's readiness (R-CER-6).

Thin views over selectors and services (STYLE.md 8, 9): every object is reached through a scoped
selector (404 across organisations), acts call one service, which checks the roles and, in
production, the card login (R-CER-4: `card_login_required`); errors carry the services' own codes
(esms_portal.core.api.exception_handler). No answer carries a private key, except the one PKCS#12 download.
"""

from datetime import timedelta

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal import pki
from esms_portal.core import permissions, tenant
from esms_portal.core.api import JSONParser, Pagination, paginated_response, parse_filters, validated_input
from esms_portal.core.api_views import FileAnswerMixin
from esms_portal.core.errors import InvalidInput
from esms_portal.core.queries import narrow
from esms_portal.pki.csr import MAX_CSR_BYTES
from esms_portal.workflow.form_api import AuditEntrySerializer, OrganisationRefSerializer
from esms_portal.workflow.requests import available_acts

from . import selectors, services
from .models import (
    ORDERABLE_PROFILE_CHOICES,
    CertificateState,
    TechnicalAdministrator,
)

FORM_TAGS = ["formulaires de certificats"]
CERTIFICATE_TAGS = ["certificats"]
PKCS12_TYPE = "application/x-pkcs12"
CHAIN_TYPES = {
    "pem": ("application/pem-certificate-chain", "pem"),  # RFC 8555, section 9.1
    "der": ("application/pkcs7-mime", "p7c"),  # certs-only PKCS#7, RFC 2585
}


@extend_schema_serializer(component_name="CertificatePerson")
class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="__str__")
    email = serializers.EmailField()


class OrganisationInput(serializers.Serializer):
    organisation = serializers.UUIDField(help_text="L'entité juridique (EJ) concernée.")


def lines_field(help_text: str = ""):
    return serializers.ListField(child=serializers.CharField(max_length=254), default=list, help_text=help_text)


class TechnicalAdministratorListApi(APIView):
    """The technical administrators of the caller's organisations (all for ANS agents): the
    current ones, or with `include_ended` those an F503 removed (R-CER-1, R-CER-4)."""

    class FilterSerializer(serializers.Serializer):
        organisation = serializers.UUIDField(required=False)
        include_ended = serializers.BooleanField(required=False, default=False)

    @extend_schema_serializer(component_name="TechnicalAdministrator")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        organisation = OrganisationRefSerializer()
        user = PersonSerializer()
        granted_by_form = serializers.CharField()
        granted_at = serializers.DateTimeField()
        ended_at = serializers.DateTimeField(allow_null=True)

    pagination_class = Pagination

    @extend_schema(operation_id="certificates_administrators_list", parameters=[FilterSerializer],
                   summary="Lister les administrateurs techniques",
                   responses=OutputSerializer(many=True), tags=CERTIFICATE_TAGS)
    def get(self, request):
        filters = parse_filters(self.FilterSerializer, request.query_params)
        administrators = permissions.scope(TechnicalAdministrator.objects.all(), request.user, roles=selectors.READERS)
        if not filters.get("include_ended"):
            administrators = administrators.active()
        administrators = narrow(administrators, organisation_id=filters.get("organisation"))
        administrators = administrators.select_related("organisation", "user").order_by("-granted_at", "pk")
        return paginated_response(queryset=administrators, serializer_class=self.OutputSerializer, request=request,
                                  view=self)


# --- Certificates ---
@extend_schema_serializer(component_name="CertificateSummary")
class CertificateSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    organisation = OrganisationRefSerializer()
    profile = serializers.CharField()
    profile_label = serializers.CharField(source="get_profile_display")
    software_name = serializers.CharField()
    common_name = serializers.CharField()
    method = serializers.CharField()
    serial = serializers.CharField(source="certificate.serial_hex")
    not_before = serializers.DateTimeField(source="certificate.not_before")
    not_after = serializers.DateTimeField(source="certificate.not_after")
    revoked_at = serializers.DateTimeField(source="certificate.revoked_at", allow_null=True)
    renews = serializers.UUIDField(source="renews_id", allow_null=True)
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="CertificateCapabilities")
class CapabilitiesSerializer(serializers.Serializer):
    feed_dmp = serializers.BooleanField()
    call_insi = serializers.BooleanField()
    consult_dmp = serializers.BooleanField(help_text="Jamais par certificat : carte CPS ou e-CPS (R-CER-7).")


@extend_schema_serializer(component_name="CertificateDetail")
class CertificateDetailSerializer(CertificateSummarySerializer):
    ordered_by = serializers.StringRelatedField()
    subject = serializers.CharField(source="certificate.subject")
    fingerprint_sha256 = serializers.CharField(source="certificate.fingerprint_sha256")
    dns_names = serializers.ListField(child=serializers.CharField(), source="certificate.dns_names")
    revocation_reason = serializers.CharField(source="certificate.revocation_reason")
    renewed_by = serializers.SerializerMethodField()
    capabilities = serializers.SerializerMethodField()
    pkcs12_available = serializers.BooleanField()
    pkcs12_downloaded_at = serializers.DateTimeField(allow_null=True)
    pkcs12_download = serializers.SerializerMethodField(help_text="Lien à appeler une fois (POST) tant qu'il existe.")
    chain_pem = serializers.SerializerMethodField()
    chain_der = serializers.SerializerMethodField()
    available_acts = serializers.SerializerMethodField()
    history = AuditEntrySerializer(source="audit_trail", many=True)

    def _url(self, name, order) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[order.pk]))

    def get_renewed_by(self, order) -> list[str]:
        return [str(pk) for pk in order.renewals.values_list("pk", flat=True)]

    @extend_schema_field(CapabilitiesSerializer)
    def get_capabilities(self, order):
        return selectors.certificate_capabilities(order.profile)

    def get_pkcs12_download(self, order) -> str | None:
        return self._url("api-certificate-pkcs12", order) if order.pkcs12_available else None

    def get_chain_pem(self, order) -> str:
        return self._url("api-certificate-chain-pem", order)

    def get_chain_der(self, order) -> str:
        return self._url("api-certificate-chain-der", order)

    def get_available_acts(self, order) -> list[str]:
        return available_acts(order, self.context["request"].user)


def _certificate_response(order, request, *, http_status=status.HTTP_200_OK) -> Response:
    order = selectors.certificate_get_for_user(request.user, order.pk)  # fresh, with its relations
    return Response(CertificateDetailSerializer(order, context={"request": request}).data, status=http_status)


def _pkcs12_response(bundle: bytes, order, request, *, http_status=status.HTTP_200_OK) -> HttpResponse:
    response = HttpResponse(bundle, content_type=PKCS12_TYPE, status=http_status)
    response["Content-Disposition"] = f'attachment; filename="TEST-{order.profile}-{order.pk}.p12"'
    response["Cache-Control"] = "no-store"
    response["Location"] = request.build_absolute_uri(reverse("api-certificate-detail", args=[order.pk]))
    return response


class CertificateDetailApi(APIView):
    """One certificate: subject, validity, revocation, what it allows (R-CER-7), links to its chain
    and, once, to its generated PKCS#12."""

    @extend_schema(operation_id="certificates_retrieve", responses=CertificateDetailSerializer,
                   summary="Consulter un certificat et ses actes possibles",
                   tags=CERTIFICATE_TAGS)
    def get(self, request, pk):
        order = selectors.certificate_get_for_user(request.user, pk)
        return Response(CertificateDetailSerializer(order, context={"request": request}).data)


@extend_schema_serializer(component_name="CertificateCsrInput")
class CsrInputSerializer(serializers.Serializer):
    csr = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                help_text="La CSR (PKCS#10) en PEM ; ou `csr_file`.")
    csr_file = serializers.FileField(required=False, allow_empty_file=True,
                                     help_text="La CSR en fichier, PEM ou DER (multipart).")


def _csr_bytes(values: dict) -> bytes | None:
    """The CSR of a body that CsrInputSerializer validated."""
    upload = values.get("csr_file")
    if upload is not None:
        return upload.read(MAX_CSR_BYTES + 1)  # one byte more: the authority says `csr_too_large`
    return values.get("csr") or None


_PASSPHRASE_HELP = "12 caractères au moins ; elle protège le fichier PKCS#12 et n'est jamais conservée."
_DELIVERY_HELP = "`link` : la réponse donne le lien de téléchargement unique ; `file` : la réponse est le PKCS#12."


class _GeneratedKeyInput(serializers.Serializer):
    # What an order or a renewal with a key pair generated by the portal adds.
    passphrase = serializers.CharField(default="", allow_blank=True, write_only=True, trim_whitespace=False,
                                       max_length=1024, help_text=_PASSPHRASE_HELP)
    delivery = serializers.ChoiceField(choices=["link", "file"], default="link", help_text=_DELIVERY_HELP)


class _OrderInput(OrganisationInput):
    profile = serializers.CharField(help_text=f"Parmi {', '.join(v for v, _ in ORDERABLE_PROFILE_CHOICES)}.")
    software_name = serializers.CharField(default="", allow_blank=True, max_length=100,
                                          help_text="Un certificat ORG sert tous les sites de ce logiciel (R-CER-5).")
    common_name = serializers.CharField(default="", allow_blank=True, max_length=64,
                                        help_text="INSI-AUTO ou INSI-MANU pour l'INSi ; le serveur pour SSL_SERVEUR.")
    dns_names = lines_field("Noms DNS (SSL_SERVEUR), dans le périmètre de la F413.")


def _order(request, values: dict, **key):
    """Order a certificate as the validated `values` say; `key`: the CSR, or the passphrase of a generated key."""
    organisation = tenant.organisation_get_for(request.user, values["organisation"], roles=selectors.READERS)
    return services.certificate_order(
        actor=request.user, organisation=organisation, profile=values["profile"], software_name=values["software_name"],
        common_name=values["common_name"], dns_names=values["dns_names"], **key,
    )


def _new_certificate_response(order, request, delivery: str = "link"):
    """A new certificate: its generated PKCS#12 itself when asked (`delivery=file`), else its detail."""
    if delivery == "file":
        bundle = services.certificate_take_pkcs12(actor=request.user, order=order)
        return _pkcs12_response(bundle, order, request, http_status=status.HTTP_201_CREATED)
    return _certificate_response(order, request, http_status=status.HTTP_201_CREATED)


class CertificateListApi(APIView):
    """Certificates of the caller's organisations (all for ANS agents; GET): `expiring_days` keeps
    the valid ones that end within that many days (renewal is due 30 days before, R-CER-4).

    POST orders one from a CSR (preferred: the key stays on the caller's server), as JSON (`csr`:
    PEM text) or multipart (`csr_file`, PEM or DER). Nothing is issued when a check fails: 400
    `csr_required`, `csr_malformed`, `csr_too_large`, `csr_bad_signature`, `weak_key`,
    `unsupported_key`, `csr_name_out_of_scope`, `invalid_subject_characters` (a name outside the
    profiles' character set: esms_portal.pki.issue.SUBJECT_NAME), `software_required`; 403 `forbidden_act`,
    `card_login_required`; 409 `profile_not_in_scope`, `certificate_exists_for_software`,
    `administrator_card_required`.
    """

    class FilterSerializer(serializers.Serializer):
        organisation = serializers.UUIDField(required=False)
        profile = serializers.ChoiceField(choices=ORDERABLE_PROFILE_CHOICES, required=False)
        state = serializers.ChoiceField(choices=CertificateState.choices, required=False)
        software = serializers.CharField(required=False, max_length=100, help_text="Logiciel (contient).")
        expiring_days = serializers.IntegerField(required=False, min_value=0, max_value=3650)

    OutputSerializer = CertificateSummarySerializer
    pagination_class = Pagination

    @extend_schema(operation_id="certificates_list", parameters=[FilterSerializer],
                   summary="Lister les certificats commandés",
                   responses=OutputSerializer(many=True), tags=CERTIFICATE_TAGS)
    def get(self, request):
        filters = parse_filters(self.FilterSerializer, request.query_params)
        # The PKCS#12 and the DER stay in the database: a list shows neither.
        orders = narrow(
            selectors.certificates_for_user(request.user).defer("pkcs12", "certificate__der"),
            organisation_id=filters.get("organisation"), profile=filters.get("profile"), state=filters.get("state"),
            software_name__icontains=filters.get("software"),
        )
        if "expiring_days" in filters:
            now = timezone.now()
            orders = orders.filter(
                state=CertificateState.ISSUED, certificate__not_after__gt=now,
                certificate__not_after__lte=now + timedelta(days=filters["expiring_days"]),
            )
        return paginated_response(queryset=orders.order_by("-created_at", "pk"), serializer_class=self.OutputSerializer,
                                  request=request, view=self)

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="CertificateOrderCsrInput")
    class InputSerializer(_OrderInput, CsrInputSerializer):
        def validate(self, attrs):
            if not attrs.get("csr") and attrs.get("csr_file") is None:
                raise InvalidInput("Fournissez la CSR : `csr` (PEM) ou `csr_file`.", code="csr_required")
            return attrs

    @extend_schema(operation_id="certificates_order_from_csr", request={
        "application/json": InputSerializer, "multipart/form-data": InputSerializer,
    }, responses={201: CertificateDetailSerializer}, tags=CERTIFICATE_TAGS,
        summary="Commander un certificat à partir d'une CSR (R-CER-4, R-CER-5)")
    def post(self, request):
        values = validated_input(self.InputSerializer, request)
        return _new_certificate_response(_order(request, values, csr=_csr_bytes(values)), request)


class CertificateOrderGeneratedApi(FileAnswerMixin, APIView):
    """Order with a key pair generated by the portal: the key and the certificate come back once,
    as a PKCS#12 under `passphrase` (400 `weak_passphrase` under 12 characters), either in this
    answer (`delivery=file`) or through the one-time link of the answer (`delivery=link`). The
    portal keeps no copy once it is downloaded. Other errors as for an order from a CSR."""

    @extend_schema_serializer(component_name="CertificateOrderGeneratedInput")
    class InputSerializer(_OrderInput, _GeneratedKeyInput):
        pass

    @extend_schema(operation_id="certificates_order_with_generated_key", request=InputSerializer, responses={
        (201, "application/json"): CertificateDetailSerializer, (201, PKCS12_TYPE): OpenApiTypes.BINARY,
    }, tags=CERTIFICATE_TAGS, summary="Commander un certificat avec une bi-clé générée (PKCS#12 remis une fois)")
    def post(self, request):
        values = validated_input(self.InputSerializer, request)
        order = _order(request, values, passphrase=values["passphrase"])
        return _new_certificate_response(order, request, values["delivery"])


@extend_schema_serializer(component_name="CertificateOrderBulkLineInput")
class _BulkLineSerializer(serializers.Serializer):
    # One line of a bulk order (CertificateOrderBulkApi).
    csr = serializers.CharField(default="", allow_blank=True, trim_whitespace=False,
                                max_length=MAX_CSR_BYTES + 1, help_text="La CSR (PKCS#10) en PEM.")
    profile = serializers.CharField(default="", allow_blank=True, max_length=40,
                                    help_text="Par défaut, celui de la commande.")
    software_name = serializers.CharField(default="", allow_blank=True, max_length=100,
                                          help_text="Par défaut, celui de la commande.")
    common_name = serializers.CharField(default="", allow_blank=True, max_length=64,
                                        help_text="Par défaut, celui de la CSR.")
    dns_names = lines_field("Noms DNS (SSL_SERVEUR), dans le périmètre de la F413.")


class CertificateOrderBulkApi(APIView):
    """A bulk order: up to 100 certificates (`services.MAX_BULK_ORDER`) from as many CSRs (PEM
    text), issued in one transaction, or none. Each line is checked as one order of it would be;
    its `profile` and `software_name` default to the order's, its `common_name` to its CSR's.

    One refused line refuses the whole order: 400 `order_lines_refused` (409 when every refused line
    is a 409), `details.lines` giving for each refused line its number (from 1), `code` (the codes of
    one order: `csr_malformed`, `csr_bad_signature`, `weak_key`, `csr_name_out_of_scope`,
    `invalid_subject_characters`, `software_required`, `profile_not_in_scope`,
    `certificate_exists_for_software`...; `software_twice_in_order` for a second line of the same type
    and software) and French `message`. 400 `csr_required` (no line), `too_many_csrs`; 403
    `forbidden_act`, `card_login_required`; 404 for an organisation out of reach; 409
    `administrator_card_required`."""

    parser_classes = [JSONParser]  # lines are objects: JSON only

    @extend_schema_serializer(component_name="CertificateOrderBulkInput")
    class InputSerializer(OrganisationInput):
        profile = serializers.CharField(default="", allow_blank=True, max_length=40,
                                        help_text=f"Parmi {', '.join(v for v, _ in ORDERABLE_PROFILE_CHOICES)}.")
        software_name = serializers.CharField(default="", allow_blank=True, max_length=100,
                                              help_text="Un certificat ORG sert tous les sites de ce logiciel "
                                                        "(R-CER-5).")
        lines = _BulkLineSerializer(many=True, help_text="Une ligne par CSR, 100 au plus.")

    @extend_schema_serializer(component_name="CertificateOrderBulk")
    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField()
        results = CertificateSummarySerializer(many=True)

    @extend_schema(operation_id="certificates_order_bulk", request=InputSerializer,
                   responses={201: OutputSerializer}, tags=CERTIFICATE_TAGS,
                   summary="Commander plusieurs certificats à partir de CSR, tous ou aucun (R-CER-4, R-CER-5)")
    def post(self, request):
        values = validated_input(self.InputSerializer, request)
        organisation = tenant.organisation_get_for(request.user, values["organisation"], roles=selectors.READERS)
        orders = services.certificate_order_bulk(
            actor=request.user, organisation=organisation, profile=values["profile"],
            software_name=values["software_name"],
            lines=[services.OrderLine(csr=line["csr"], profile=line["profile"], software_name=line["software_name"],
                                      common_name=line["common_name"], dns_names=tuple(line["dns_names"]))
                   for line in values["lines"]],
        )
        fresh = {o.pk: o for o in selectors.certificates_for_user(request.user).defer("pkcs12", "certificate__der")
                 .filter(pk__in=[order.pk for order in orders])}
        results = [fresh[order.pk] for order in orders]
        return Response(self.OutputSerializer({"count": len(results), "results": results}).data,
                        status=status.HTTP_201_CREATED)


class CertificatePkcs12Api(FileAnswerMixin, APIView):
    """The generated PKCS#12, once (POST: reading it deletes it): 409 `pkcs12_already_taken`
    afterwards, or for a certificate ordered from a CSR; 403 for anyone but an administrator."""

    @extend_schema(operation_id="certificates_pkcs12_take", request=None,
                   responses={(200, PKCS12_TYPE): OpenApiTypes.BINARY}, tags=CERTIFICATE_TAGS,
                   summary="Télécharger le PKCS#12 généré (une seule fois)")
    def post(self, request, pk):
        order = selectors.certificate_get_for_user(request.user, pk)
        bundle = services.certificate_take_pkcs12(actor=request.user, order=order)
        return _pkcs12_response(bundle, order, request)


class CertificateChainApi(FileAnswerMixin, APIView):
    """The certificate and its chain up to the test root: PEM, or DER as a certs-only PKCS#7."""

    fmt = ""

    def get(self, request, pk):
        order = selectors.certificate_get_for_user(request.user, pk)
        if self.fmt == "pem":
            body = pki.chain_pem(order.certificate).encode()
        else:
            body = pki.chain_pkcs7_der(order.certificate)
        content_type, extension = CHAIN_TYPES[self.fmt]
        response = HttpResponse(body, content_type=content_type)
        name = f"TEST-{order.profile}-{order.certificate.serial_hex[:16]}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@extend_schema_view(get=extend_schema(operation_id="certificates_chain_pem", tags=CERTIFICATE_TAGS,
                                      summary="Télécharger le certificat et sa chaîne (PEM)",
                                      responses={(200, CHAIN_TYPES["pem"][0]): OpenApiTypes.STR}))
class CertificateChainPemApi(CertificateChainApi):
    fmt = "pem"


@extend_schema_view(get=extend_schema(operation_id="certificates_chain_der", tags=CERTIFICATE_TAGS,
                                      summary="Télécharger le certificat et sa chaîne (PKCS#7 DER)",
                                      responses={(200, CHAIN_TYPES["der"][0]): OpenApiTypes.BINARY}))
class CertificateChainDerApi(CertificateChainApi):
    fmt = "der"


class CertificateRevokeApi(APIView):
    """Revoke, with a reason: the certificate is in the CRL when this answers (R-CER-4). 400
    `reason_required`, `revocation_reason_invalid`; 409 `already_revoked`; 403 `forbidden_act`,
    `card_login_required`."""

    @extend_schema_serializer(component_name="CertificateRevokeInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(default="", allow_blank=True, max_length=500, help_text="Obligatoire.")
        revocation_reason = serializers.CharField(
            default=pki.RevocationReason.UNSPECIFIED,
            help_text=f"Code RFC 5280 : {', '.join(pki.RevocationReason.values)}.",
        )

    @extend_schema(operation_id="certificates_revoke", request=InputSerializer, responses=CertificateDetailSerializer,
                   tags=CERTIFICATE_TAGS, summary="Révoquer un certificat (R-CER-4)")
    def post(self, request, pk):
        order = selectors.certificate_get_for_user(request.user, pk)
        order = services.certificate_revoke(actor=request.user, order=order,
                                            **validated_input(self.InputSerializer, request))
        return _certificate_response(order, request)


class CertificateRenewApi(FileAnswerMixin, APIView):
    """Renew a valid certificate: a new one of the same type, software and names, from a new CSR
    (JSON `csr` or multipart `csr_file`) or a generated key (`passphrase`, `delivery`); the old one
    stays valid until revoked. 409 `not_renewable`, `already_renewed`; the order's errors otherwise."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="CertificateRenewInput")
    class InputSerializer(CsrInputSerializer, _GeneratedKeyInput):
        pass

    @extend_schema(operation_id="certificates_renew", request={
        "application/json": InputSerializer, "multipart/form-data": InputSerializer,
    }, responses={
        (201, "application/json"): CertificateDetailSerializer, (201, PKCS12_TYPE): OpenApiTypes.BINARY,
    }, tags=CERTIFICATE_TAGS, summary="Renouveler un certificat (R-CER-4)")
    def post(self, request, pk):
        order = selectors.certificate_get_for_user(request.user, pk)
        values = validated_input(self.InputSerializer, request)
        csr = _csr_bytes(values)
        new = services.certificate_renew(actor=request.user, order=order, csr=csr,
                                         passphrase="" if csr else values["passphrase"])
        return _new_certificate_response(new, request, "link" if csr else values["delivery"])


@extend_schema_serializer(component_name="CertificateProfileRef")
class ProfileRefSerializer(serializers.Serializer):
    profile = serializers.CharField()
    label = serializers.CharField()


class OrganisationCertificateReadinessApi(APIView):
    """Whether an EJ holds the minimum set of certificates (R-CER-6) and what each allows (R-CER-7),
    with what its accepted F413s let its administrators order (R-CER-3)."""

    @extend_schema_serializer(component_name="CertificateReadiness")
    class OutputSerializer(serializers.Serializer):
        organisation = OrganisationRefSerializer()
        ready = serializers.BooleanField()
        can_feed_dmp = serializers.BooleanField()
        can_call_insi = serializers.BooleanField()
        can_consult_dmp = serializers.BooleanField()
        held = ProfileRefSerializer(many=True)
        missing = ProfileRefSerializer(many=True)
        orderable_profiles = serializers.ListField(child=serializers.CharField())
        server_names = serializers.ListField(child=serializers.CharField())
        software_names = serializers.ListField(child=serializers.CharField())
        administrators = serializers.IntegerField()

    @extend_schema(operation_id="certificates_readiness", responses=OutputSerializer, tags=CERTIFICATE_TAGS,
                   summary="État des certificats d'une organisation (jeu minimal)")
    def get(self, request, pk):
        organisation = tenant.organisation_get_for(request.user, pk, roles=selectors.READERS)
        readiness = selectors.certificate_readiness(organisation)
        scope = selectors.certificate_scope(organisation.pk)
        data = {
            "organisation": organisation, "ready": readiness.ready, "can_feed_dmp": readiness.can_feed_dmp,
            "can_call_insi": readiness.can_call_insi, "can_consult_dmp": readiness.can_consult_dmp,
            "held": [{"profile": p, "label": label} for p, label in readiness.held],
            "missing": [{"profile": p, "label": label} for p, label in readiness.missing],
            "orderable_profiles": sorted(scope.profiles), "server_names": list(scope.dns_names),
            "software_names": list(scope.software_names),
            "administrators": selectors.active_administrators(organisation.pk).count(),
        }
        return Response(self.OutputSerializer(data).data)
