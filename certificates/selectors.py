"""Tenant-scoped reads of the certificates app (STYLE.md convention 8), the administrators' scope,
and the readiness of an EJ for the services socles (R-CER-6, R-CER-7), reused by the tracker."""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from cards.models import Card
from esms_portal.core import permissions
from esms_portal.models import CertificateProfile, Role, RoleGrant
from esms_portal.workflow.requests import available_acts
from esms_portal.workflow.selectors import forms_for_user

from .models import (
    AdministratorChange,
    AdministratorDesignation,
    CertificateOrder,
    CertificateState,
    FormState,
    TechnicalAdministrator,
)

# Who reads an EJ's certificates, administrators and readiness, on the pages and the API.
READERS = [Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE, Role.TECHNICAL_ADMIN]


def designations_of(user, organisation):
    """The F413s of one EJ that `user` may see (the certificates home page)."""
    return forms_for_user(user, AdministratorDesignation.request_type).filter(organisation=organisation)


def changes_of(user, organisation):
    """The F503s of one EJ that `user` may see, with the administrator each one adds or removes."""
    changes = forms_for_user(user, AdministratorChange.request_type).filter(organisation=organisation)
    return changes.select_related("administrator")


def certificates_for_user(user):
    return permissions.scope_for_act(CertificateOrder.objects.all(), user, "certificate.view").select_related(
        "organisation", "certificate", "ordered_by"
    )


def certificate_get_for_user(user, pk) -> CertificateOrder:
    return get_object_or_404(certificates_for_user(user), pk=pk)


def certificate_acts(order: CertificateOrder, user) -> list[str]:
    """The acts the certificate page offers `user`: the machine's own (revoke), renewal, which asks
    what revocation asks (an issued certificate, a technical administrator; the service refuses an
    expired or already renewed one), and taking the generated PKCS#12 while it is there."""
    acts = available_acts(order, user)
    if "revoke" in acts:
        acts.append("renew")
    if order.pkcs12_available and permissions.may(user, "certificate.manage", order):
        acts.append("take_pkcs12")
    return acts


def certificates_of(organisation_id):
    return (
        CertificateOrder.objects.filter(organisation_id=organisation_id)
        .select_related("certificate", "ordered_by")
        .order_by("certificate__not_after")
    )


def members_among(organisation_id, users) -> set:
    """The ids of `users` its members know by name: a role on the EJ, or a card of its fleet."""
    with_role = RoleGrant.objects.filter(organisation_id=organisation_id, user__in=users).values_list("user_id")
    with_card = Card.objects.filter(organisation_id=organisation_id, holder__in=users).values_list("holder_id")
    return {user_id for (user_id,) in with_role.order_by().union(with_card.order_by())}


def is_member(user, organisation_id) -> bool:
    return user.pk in members_among(organisation_id, [user])


@dataclass(frozen=True)
class Person:
    """How a designated administrator is shown: by name to an agent or when he is a member of the
    EJ, by the address the filer typed otherwise (no name of a stranger comes back from an email)."""

    name: str
    email: str

    def __str__(self):
        return self.name


def designees(form, viewer) -> list[Person]:
    """The people an F413 designates, or the one an F503 adds or removes, as `viewer` may see them."""
    users = list(form.administrators.all()) if hasattr(form, "administrators") else [form.administrator]
    members = members_among(form.organisation_id, users)
    named = permissions.is_agent(viewer)
    return [Person(str(user) if named or user.pk in members else "", user.email) for user in users]


def active_administrators(organisation_id):
    return TechnicalAdministrator.objects.active().filter(organisation_id=organisation_id).select_related("user")


def is_technical_admin(user, organisation_id) -> bool:
    return bool(getattr(user, "pk", None)) and active_administrators(organisation_id).filter(user=user).exists()


def accepted_designations(organisation_id):
    return AdministratorDesignation.objects.filter(organisation_id=organisation_id, state=FormState.ACCEPTED)


@dataclass(frozen=True)
class CertificateScope:
    """What the accepted F413s of an EJ allow its administrators to order (R-CER-3)."""

    profiles: frozenset[str] = frozenset()
    dns_names: tuple[str, ...] = ()
    organisation_ids: tuple[str, ...] = ()  # idNat_Struct the certificates may name (OU)
    software_names: tuple[str, ...] = ()

    @property
    def organisation_id(self) -> str:
        return self.organisation_ids[0] if self.organisation_ids else ""


def certificate_scope(organisation_id) -> CertificateScope:
    profiles, dns, ids, software = set(), [], [], []
    for designation in accepted_designations(organisation_id).order_by("decided_at"):
        profiles.update(designation.certificate_types)
        dns += [n for n in designation.server_names if n not in dns]
        if designation.organisation_id_for_certificates not in ids:
            ids.append(designation.organisation_id_for_certificates)
        software += [s for s in designation.software_names if s not in software]
    return CertificateScope(frozenset(profiles), tuple(dns), tuple(ids), tuple(software))


def live_certificates(organisation_id, at=None):
    """Issued, unrevoked and unexpired certificates of an EJ."""
    at = at or timezone.now()
    return certificates_of(organisation_id).filter(
        state=CertificateState.ISSUED, certificate__revoked_at__isnull=True,
        certificate__not_before__lte=at, certificate__not_after__gt=at,
    )


# R-CER-7: a certificate feeds the DMP and calls INSi; only a CPS or e-CPS consults the DMP.
FEEDS_DMP = {CertificateProfile.ORG_AUTH_CLI, CertificateProfile.ORG_SIGN}
CALLS_INSI = {CertificateProfile.ORG_AUTH_CLI_INSI}


def certificate_capabilities(profile: str) -> dict[str, bool]:
    """What a certificate of `profile` lets a software do with the services socles (R-CER-7)."""
    return {
        "feed_dmp": profile in FEEDS_DMP,
        "call_insi": profile in CALLS_INSI,
        "consult_dmp": False,
    }


# R-CER-6: the minimum set of an ESMS, in the order the page lists it.
MINIMUM_SET = [
    (CertificateProfile.ORG_SIGN, "ORG SIGN pour alimenter le DMP (signature des documents)"),
    (CertificateProfile.ORG_AUTH_CLI, "ORG AUTH_CLI pour alimenter le DMP (authentification)"),
    (CertificateProfile.ORG_AUTH_CLI_INSI, "ORG AUTH_CLI INSi (INSI-AUTO ou INSI-MANU) pour appeler l'INSi"),
]


@dataclass(frozen=True)
class Readiness:
    held: list[tuple[str, str]] = field(default_factory=list)  # (profile, label)
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def can_feed_dmp(self) -> bool:
        held = {profile for profile, _ in self.held}
        return {CertificateProfile.ORG_SIGN, CertificateProfile.ORG_AUTH_CLI} <= held

    @property
    def can_call_insi(self) -> bool:
        return CertificateProfile.ORG_AUTH_CLI_INSI in {profile for profile, _ in self.held}

    can_consult_dmp = False  # R-CER-7: never by certificate (CPS or e-CPS only)

    @property
    def missing_labels(self) -> list[str]:
        return [label for _, label in self.missing]


def certificate_readiness(organisation, at=None) -> Readiness:
    """Whether the EJ holds the minimum set of R-CER-6 and which certificates are missing."""
    organisation_id = getattr(organisation, "pk", organisation)
    profiles = set(live_certificates(organisation_id, at).values_list("profile", flat=True))
    held = [(p, label) for p, label in MINIMUM_SET if p in profiles]
    missing = [(p, label) for p, label in MINIMUM_SET if p not in profiles]
    return Readiness(held=held, missing=missing)
