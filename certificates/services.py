"""Acts of the certificates app: F413 and F503 (filed, instructed, taking effect) and the
certificate lifecycle (order, renew, revoke, hand over a PKCS#12 once). One function per act,
called by the views, the API, the admin, the steps and the tests (STYLE.md convention 3)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cards.selectors import holds_active_card
from contracts.models import Structure
from contracts.selectors import has_valid_contract
from contracts.services.identification import structure_identifier
from esms_portal import pki
from esms_portal.core import page_cache, permissions, tenant
from esms_portal.core.errors import InvalidInput, PortalError, PrerequisiteMissing, StateConflict
from esms_portal.core.notify import mail_on_commit
from esms_portal.models import Role, RoleGrant
from esms_portal.pki.csr import normalise_dns_name
from esms_portal.steps import cancel_steps
from esms_portal.steps.bulk import schedule_steps_bulk
from esms_portal.steps.delays import delay as named_delay
from esms_portal.webhooks.events import emit
from esms_portal.workflow import audit
from esms_portal.workflow.form_services import form_accept, form_act  # noqa: F401 (the certificates app's acts)
from esms_portal.workflow.requests import perform_act, record_creation, record_creations

from . import selectors
from .models import (
    ORDERABLE_PROFILES,
    AdministratorChange,
    AdministratorChangeAction,
    AdministratorDesignation,
    CertificateOrder,
    CertificateState,
    OrderMethod,
    TechnicalAdministrator,
)

User = get_user_model()
REMINDER_STEP = "certificates.renewal_reminder"


def _require_filer_card(actor) -> None:
    if not holds_active_card(actor):
        raise PrerequisiteMissing(
            "Déposer ce formulaire demande que vous déteniez une carte CPx active (représentant légal ou mandataire).",
            code="filer_card_required", details={"rule": "R-CER-2"},
        )


def _require_contract(organisation) -> None:
    if not has_valid_contract(organisation.pk):
        raise PrerequisiteMissing(
            "Le contrat d'adhésion de l'organisation doit être accepté avant de désigner un administrateur technique.",
            code="contract_required", details={"rule": "R-CER-2"},
        )


def _administrator(email: str, organisation):
    """The designee of `email`, who holds an active card (R-CER-1). Whether someone outside the
    organisation, or an ANS agent, has an account or a card is not the filer's to learn: all those
    refusals are one answer that names nobody. A member without a card is named, as the filer knows him."""
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None or permissions.is_agent(user) or (
        not selectors.is_member(user, organisation.pk) and not holds_active_card(user)
    ):
        raise InvalidInput(
            f"« {email} » ne peut pas être désigné administrateur technique : la personne doit avoir un compte "
            "du portail et une carte CPx active. Vérifiez l'adresse, ou demandez-lui de créer son compte.",
            code="administrator_not_designable", details={"rule": "R-CER-1", "email": email},
        )
    if not holds_active_card(user):
        raise PrerequisiteMissing(
            f"{user} ne détient pas de carte CPx active : un administrateur technique doit déjà en avoir une.",
            code="administrator_card_required", details={"rule": "R-CER-1", "email": user.email},
        )
    return user


def _clean_types(types, server_names) -> tuple[list[str], list[str]]:
    types = list(dict.fromkeys(types or []))
    if not types or any(t not in ORDERABLE_PROFILES for t in types):
        raise InvalidInput("Cochez au moins un type de certificat.", code="certificate_types_required",
                           details={"rule": "R-CER-3"})
    names = []
    for name in server_names or []:
        if name.strip():
            try:
                names.append(normalise_dns_name(name))
            except pki.CsrRejected as error:
                raise InvalidInput(error.message, code="server_name_invalid", details={"name": name}) from None
    if pki.Profile.SSL_SERVEUR in types and not names:
        raise InvalidInput(
            "Le type SSL_SERVEUR demande un nom de domaine ou de serveur.", code="server_name_required",
            details={"rule": "R-CER-3"},
        )
    return types, list(dict.fromkeys(names))


def f413_file(*, actor, organisation: Structure, structure_id_kind: str, structure_id: str,
              certificate_types: list[str], administrator_emails: list[str], server_names=(),
              software_names=()) -> AdministratorDesignation:
    """F413, filed by the legal representative or a mandataire holding an active card (R-CER-2),
    designating administrators who already hold one (R-CER-1)."""
    organisation = tenant.legal_entity_of(organisation)
    permissions.require(actor, "f413.file", organisation)
    _require_filer_card(actor)
    _require_contract(organisation)
    structure_id = structure_identifier(organisation, kind=structure_id_kind, number=structure_id)
    types, names = _clean_types(certificate_types, server_names)
    emails = [e for e in dict.fromkeys(e.strip().lower() for e in administrator_emails) if e]
    if not emails:
        raise InvalidInput("Désignez au moins un administrateur technique.", code="administrator_required",
                           details={"rule": "R-CER-1"})
    administrators = [_administrator(email, organisation) for email in emails]
    with transaction.atomic():
        form = AdministratorDesignation.objects.create(
            organisation=organisation, filed_by=actor, structure_id_kind=structure_id_kind,
            structure_id=structure_id, certificate_types=types, server_names=names,
            software_names=[s.strip() for s in software_names if s.strip()],
        )
        form.administrators.set(administrators)
        form.start_clock()
        form.save(update_fields=["submitted_at"])
        record_creation(form, actor=actor, act="file")
    return form


def f503_file(*, actor, organisation: Structure, action: str, administrator_email: str) -> AdministratorChange:
    """F503: add (who must hold an active card) or remove a technical administrator."""
    organisation = tenant.legal_entity_of(organisation)
    permissions.require(actor, "f413.file", organisation)
    _require_filer_card(actor)
    if not selectors.accepted_designations(organisation.pk).exists():
        raise PrerequisiteMissing("La F503 modifie une F413 acceptée : déposez d'abord la F413.",
                                  code="f413_required", details={"rule": "R-CER-1"})
    if action == AdministratorChangeAction.ADD:
        user = _administrator(administrator_email, organisation)
    elif action == AdministratorChangeAction.REMOVE:
        user = User.objects.filter(email__iexact=administrator_email.strip()).first()
        if user is None or not selectors.is_technical_admin(user, organisation.pk):
            raise InvalidInput("Cette personne n'est pas administrateur technique de l'organisation.",
                               code="not_an_administrator")
    else:
        raise InvalidInput("Choisissez d'ajouter ou de retirer un administrateur.", code="action_required")
    with transaction.atomic():
        form = AdministratorChange.objects.create(organisation=organisation, filed_by=actor, action=action,
                                                  administrator=user)
        form.start_clock()
        form.save(update_fields=["submitted_at"])
        record_creation(form, actor=actor, act="file")
    return form


# Acceptance (esms_portal.workflow.form_services.form_accept) takes the effect the forms declare.
def f413_take_effect(form: AdministratorDesignation, *, actor) -> None:
    """The designees become technical administrators of the EJ (R-CER-4)."""
    for user in form.administrators.all():
        _grant(form.organisation, user, "F413", actor)


def f503_take_effect(form: AdministratorChange, *, actor) -> None:
    """One technical administrator added or removed."""
    if form.action == AdministratorChangeAction.ADD:
        _grant(form.organisation, form.administrator, "F503", actor)
    else:
        _end_right(form.organisation, form.administrator)


def _grant(organisation, user, form_code: str, actor) -> None:
    if not selectors.is_technical_admin(user, organisation.pk):
        TechnicalAdministrator.objects.create(organisation=organisation, user=user, granted_by_form=form_code)
    RoleGrant.objects.get_or_create(user=user, role=Role.TECHNICAL_ADMIN, organisation=organisation,
                                    defaults={"granted_by": actor if getattr(actor, "pk", None) else None})


def _end_right(organisation, user) -> None:
    now = timezone.now()
    TechnicalAdministrator.objects.active().filter(organisation=organisation, user=user).update(
        ended_at=now, updated_at=now
    )
    page_cache.invalidate(organisations=[organisation.pk], people=[user.pk])  # an update sends no signal
    RoleGrant.objects.filter(user=user, role=Role.TECHNICAL_ADMIN, organisation=organisation).delete()


# Certificate lifecycle.


def _require_administrator(actor, organisation) -> None:
    """R-CER-4: a designated technical administrator, logged in with his card, holding an active one."""
    permissions.require(actor, "certificate.manage", organisation)
    if not selectors.is_technical_admin(actor, organisation.pk):
        raise permissions.ActNotAllowed()
    if not holds_active_card(actor):
        raise PrerequisiteMissing(
            "Agir sur les certificats demande une carte CPx active : la vôtre est absente, opposée ou expirée.",
            code="administrator_card_required", details={"rule": "R-CER-4"},
        )


def _check_line(scope, profile: str, software_name: str, *, taken) -> None:
    """What one certificate of an order must satisfy (R-CER-3, R-CER-5); `taken(profile, software)`
    says whether a valid certificate of that type already serves that software."""
    if profile not in scope.profiles:
        raise PrerequisiteMissing(
            "Ce type de certificat n'est pas demandé dans la F413 acceptée de l'organisation.",
            code="profile_not_in_scope", details={"rule": "R-CER-3", "profile": profile},
        )
    if not software_name.strip():
        raise InvalidInput("Indiquez le logiciel qui utilisera le certificat.", code="software_required",
                           details={"rule": "R-CER-5"})
    if profile != pki.Profile.SSL_SERVEUR and taken(profile, software_name.strip()):  # one per server for SSL (R-CER-8)
        raise PrerequisiteMissing(
            f"Un certificat de ce type est déjà valide pour le logiciel « {software_name} » : il sert tous "
            "les sites qui utilisent ce logiciel. Renouvelez-le ou révoquez-le.",
            code="certificate_exists_for_software", details={"rule": "R-CER-5"},
        )


def _check_order(organisation, profile: str, software_name: str, *, renewing=None):
    scope = selectors.certificate_scope(organisation.pk)

    def taken(profile, software) -> bool:
        twins = selectors.live_certificates(organisation.pk).filter(profile=profile, software_name__iexact=software)
        return (twins.exclude(pk=renewing.pk) if renewing is not None else twins).exists()

    _check_line(scope, profile, software_name, taken=taken)
    return scope


def _authority_order(organisation, scope) -> dict:
    """What the authority certifies of the organisation in every certificate of an order (R-CER-3)."""
    return {
        "organisation_name": organisation.name.upper(), "organisation_id": scope.organisation_id,
        "departement": organisation.departement, "allowed_dns_names": scope.dns_names,
    }


def _csr_organisation_ids(organisation, scope) -> list[str]:
    """The idNat_Struct a CSR's OU may name: the F413s' structures, and the EJ's own FINESS."""
    return [*scope.organisation_ids, *([f"1{organisation.finess}"] if organisation.finess else [])]


def _issue(organisation, scope, *, profile, common_name, csr, passphrase, dns_names):
    common = {**_authority_order(organisation, scope), "profile": profile, "common_name": common_name,
              "dns_names": dns_names}
    if csr:
        return pki.issue_from_csr(csr, allowed_organisation_ids=_csr_organisation_ids(organisation, scope),
                                  **common), None
    if not passphrase:
        raise InvalidInput("Fournissez une CSR, ou une phrase de passe pour le fichier PKCS#12.",
                           code="csr_or_passphrase_required")
    return pki.issue_with_generated_key(passphrase=passphrase, **common)


def certificate_order(*, actor, organisation: Structure, profile: str, software_name: str, common_name: str = "",
                      csr: bytes | str | None = None, passphrase: str = "", dns_names=(),
                      renews: CertificateOrder | None = None) -> CertificateOrder:
    """Order an ORG or server certificate at EJ level (R-CER-5): from a CSR (preferred), or with a key
    pair generated here and handed over once as a PKCS#12 under `passphrase`. Nothing is issued when
    a check fails."""
    organisation = tenant.legal_entity_of(organisation)
    _require_administrator(actor, organisation)
    scope = _check_order(organisation, profile, software_name, renewing=renews)
    common_name = (common_name or "").strip() or ("" if csr or profile == pki.Profile.SSL_SERVEUR else software_name)
    with transaction.atomic():
        issued, bundle = _issue(organisation, scope, profile=profile, common_name=common_name, csr=csr,
                                passphrase=passphrase, dns_names=list(dns_names))
        order = CertificateOrder.objects.create(
            organisation=organisation, ordered_by=actor, profile=profile, software_name=software_name.strip(),
            common_name=issued.common_name, method=OrderMethod.CSR if csr else OrderMethod.GENERATED,
            certificate=issued, pkcs12=bundle, renews=renews,
        )
        record_creation(order, actor=actor, act="renew" if renews else "order")
        _plan_reminders([order])
        if renews is not None:
            cancel_steps(renews, kinds=[REMINDER_STEP])
    return order


def _plan_reminders(orders: list[CertificateOrder]) -> None:
    # New orders have no step yet: one INSERT, without schedule_step's lookup and savepoints.
    reminder = named_delay("certificate_renewal_reminder").due
    now = timezone.now()
    schedule_steps_bulk(REMINDER_STEP, CertificateOrder,
                        [(order.pk, max(now, order.certificate.not_after - reminder)) for order in orders], count=False)


# Bulk orders: up to MAX_BULK_ORDER certificates from as many CSRs, all or none.

MAX_BULK_ORDER = 100


@dataclass(frozen=True)
class OrderLine:
    """One certificate of a bulk order: its CSR, and what it says besides the order's own profile
    and software (its CN defaults to the CSR's, as for one order)."""

    csr: bytes | str
    profile: str = ""
    software_name: str = ""
    common_name: str = ""
    dns_names: tuple[str, ...] = ()


class OrderLinesRefused(InvalidInput, code="order_lines_refused"):
    """A bulk order with refused lines: nothing is issued; `details["lines"]` says why each one is
    refused (its number from 1, and the code and message one order of it would have answered)."""

    def __init__(self, refusals: dict[int, PortalError], total: int):
        lines = [{"line": number, "code": error.code, "message": error.message, "details": error.details or {}}
                 for number, error in sorted(refusals.items())]
        count = len(lines)
        first = lines[0]
        message = (
            f"Aucun certificat n'est émis : {count} ligne{'s' if count > 1 else ''} sur {total} "
            f"{'sont refusées' if count > 1 else 'est refusée'}. Ligne {first['line']} : {first['message']}"
        )
        super().__init__(message, details={"lines": lines})
        statuses = {error.status for error in refusals.values()}
        self.status = statuses.pop() if len(statuses) == 1 else 400  # 409 when every line is a 409


def certificate_order_bulk(*, actor, organisation: Structure, lines: list[OrderLine], profile: str = "",
                           software_name: str = "") -> list[CertificateOrder]:
    """Order several certificates at once, each from its CSR (R-CER-4, R-CER-5): every line is checked
    as one order of it would be (type in the F413, software, one valid certificate per type and
    software, CSR, proof of possession, key, names), then all are issued in one transaction with
    their orders, audit rows and reminders, or none: `OrderLinesRefused` names every refused line.
    A line's `profile` and `software_name` default to the order's."""
    organisation = tenant.legal_entity_of(organisation)
    _require_administrator(actor, organisation)
    lines = list(lines)
    if not lines:
        raise InvalidInput("Joignez au moins une demande de certificat (CSR).", code="csr_required")
    if len(lines) > MAX_BULK_ORDER:
        raise InvalidInput(
            f"Une commande groupée compte au plus {MAX_BULK_ORDER} CSR ({len(lines)} jointes) : scindez-la.",
            code="too_many_csrs", details={"max": MAX_BULK_ORDER, "count": len(lines)},
        )
    scope = selectors.certificate_scope(organisation.pk)
    live = {(p, s.upper()) for p, s in selectors.live_certificates(organisation.pk).values_list(
        "profile", "software_name")}
    wanted, refusals, ordered = [], {}, {}
    for number, line in enumerate(lines, start=1):
        line_profile, software = line.profile or profile, (line.software_name or software_name).strip()
        try:
            _check_line(scope, line_profile, software, taken=lambda p, s: (p, s.upper()) in live)
            if line_profile != pki.Profile.SSL_SERVEUR and (line_profile, software.upper()) in ordered:
                raise InvalidInput(
                    f"La ligne {ordered[line_profile, software.upper()]} commande déjà ce type de certificat pour "
                    f"le logiciel « {software} » : un seul par type et par logiciel (R-CER-5).",
                    code="software_twice_in_order", details={"rule": "R-CER-5"},
                )
        except PortalError as error:
            refusals[number] = error
            continue
        ordered.setdefault((line_profile, software.upper()), number)
        wanted.append((number, line, line_profile, software))
    csrs = [line.csr for _, line, _, _ in wanted]
    per_line = [{"profile": line_profile, "common_name": (line.common_name or "").strip(),
                 "dns_names": list(line.dns_names)} for _, line, line_profile, _ in wanted]
    order = {**_authority_order(organisation, scope), "allowed_organisation_ids": _csr_organisation_ids(
        organisation, scope)}
    try:
        if refusals:  # nothing will be issued: the other lines' CSRs are checked, for one answer
            pki.check_csrs(csrs, lines=per_line, **order)
        else:
            with transaction.atomic():
                issued = pki.issue_from_csrs(csrs, lines=per_line, **order)
                orders = CertificateOrder.objects.bulk_create([
                    CertificateOrder(organisation=organisation, ordered_by=actor, profile=line_profile,
                                     software_name=software, common_name=certificate.common_name,
                                     method=OrderMethod.CSR, certificate=certificate)
                    for (_, _, line_profile, software), certificate in zip(wanted, issued, strict=True)
                ])
                record_creations(orders, actor=actor, act="order")
                _plan_reminders(orders)
            return orders
    except pki.CsrRejected as error:
        for refused in error.details["refusals"]:
            refusals[wanted[refused["index"]][0]] = pki.CsrRejected(refused["message"], code=refused["code"],
                                                                   details=refused["details"])
    raise OrderLinesRefused(refusals, len(lines))


def _locked(order: CertificateOrder) -> CertificateOrder:
    """The order re-read under a row lock: a concurrent act on it waits for this transaction."""
    return CertificateOrder.objects.select_for_update(of=("self",)).select_related("certificate").get(pk=order.pk)


def _require_renewable(order: CertificateOrder) -> None:
    if order.state != CertificateState.ISSUED or order.certificate.not_after <= timezone.now():
        raise StateConflict("Seul un certificat valide (ni révoqué ni expiré) se renouvelle.",
                            code="not_renewable")
    if order.renewals.exists():
        raise StateConflict("Ce certificat a déjà été renouvelé.", code="already_renewed")


def certificate_renew(*, actor, order: CertificateOrder, csr=None, passphrase: str = "") -> CertificateOrder:
    """Renew before expiry: a new certificate of the same type, software and names. The old one
    stays valid until its end (the administrator revokes it once the new one is installed).

    The old order stays locked until the new one is saved: a second renewal waits, then finds it
    renewed (`already_renewed`); the unique `renews` column is the database's own guarantee."""
    with transaction.atomic():
        order = _locked(order)
        _require_renewable(order)
        return certificate_order(
            actor=actor, organisation=order.organisation, profile=order.profile, software_name=order.software_name,
            common_name=order.common_name, csr=csr, passphrase=passphrase,
            dns_names=order.certificate.dns_names, renews=order,
        )


def certificate_revoke(*, actor, order: CertificateOrder, reason: str,
                       revocation_reason: str = pki.RevocationReason.UNSPECIFIED) -> CertificateOrder:
    """Revoke with a reason: the certificate is in its authority's CRL when this returns (R-CER-4)."""
    _require_administrator(actor, order.organisation)
    if revocation_reason not in pki.RevocationReason.values:
        raise InvalidInput("Motif de révocation inconnu.", code="revocation_reason_invalid")
    with transaction.atomic():
        current = _locked(order)
        if current.state == CertificateState.REVOKED:
            raise pki.AlreadyRevoked()
        order = perform_act(CertificateOrder, order.pk, "revoke", actor=actor, reason=reason).request
        pki.revoke(order.certificate, reason=revocation_reason)
        cancel_steps(order, kinds=[REMINDER_STEP])
    return order


def certificate_take_pkcs12(*, actor, order: CertificateOrder) -> bytes:
    """Hand the generated PKCS#12 over, once: it is deleted as it is read."""
    _require_administrator(actor, order.organisation)
    with transaction.atomic():
        current = _locked(order)
        if not current.pkcs12_available:
            raise StateConflict(
                "Le fichier PKCS#12 a déjà été téléchargé : il n'est remis qu'une fois. Révoquez le certificat "
                "et commandez-en un autre si la clé est perdue.", code="pkcs12_already_taken",
            )
        bundle = bytes(current.pkcs12)
        current.pkcs12 = None
        current.pkcs12_downloaded_at = timezone.now()
        current.save(update_fields=["pkcs12", "pkcs12_downloaded_at", "updated_at"])
        # Handing a private key out is an act of its own in the history (who took it, when).
        audit.record(current, actor=actor, act="take_pkcs12", from_state=current.state)
    return bundle


def certificate_remind_renewal(order_id) -> bool:
    """The timed step 30 days before expiry: mail the EJ's administrators unless already renewed."""
    order = CertificateOrder.objects.filter(pk=order_id, state=CertificateState.ISSUED).first()
    if order is None or order.renewals.exists():
        return False
    emit("certificate.expiring", order, act="remind_renewal")
    emails = [a.user.email for a in selectors.active_administrators(order.organisation_id)]
    if emails:
        mail_on_commit(to=emails, subject=f"Certificat à renouveler : {order.common_name}",
                       template="certificates/mail/renewal_reminder.txt", context={"order": order})
    return True
