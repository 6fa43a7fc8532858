"""Registration acts (R-RPP-3, R-RPP-5, R-RPP-8, R-RPP-9, R-RPP-14): register, validate or refuse a
pre-registration, change a role, end a situation, the professional leaves; the ANS analyses an
unlisted profession. Every act checks the actor's right on the site first (permissions)."""

import re
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.finess.categories import is_health_establishment
from contracts.models import Structure
from contracts.selectors import has_valid_contract
from esms_portal.core import permissions
from esms_portal.core.errors import ActNotAllowed, InvalidInput, StateConflict
from esms_portal.core.identifiers import adeli_is_valid, compact, rpps_is_valid
from esms_portal.core.notify import mail_on_commit
from esms_portal.core.permissions import SYSTEM
from esms_portal.dialogue import notices
from esms_portal.steps import cancel_steps
from esms_portal.workflow import audit
from esms_portal.workflow.requests import perform_act, record_creation

from .. import selectors
from ..errors import AlreadyRegistered, ContractRequired, NoRegistrationNeeded, SiteNotInFiness, SiteOutOfScope
from ..models import Civility, Origin, Professional, Situation, SituationState
from ..models.professional import COMMUNE_CODE, COUNTRY_CODE, identity_key
from ..nomenclatures import OTHER_PROFESSION, PROFESSIONS, ROLES, is_eligible, profession_code
from .timeline import STEP_PUBLISH, after_registration

MOBILE = re.compile(r"^(?:0|\+33)([67]\d{8})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Registration:
    """The data of R-RPP-8, cleaned: one person and one exercise situation."""

    civility: str
    last_name: str
    first_names: str
    birth_date: date
    birth_commune_code: str
    birth_country_code: str
    email: str
    mobile: str
    practice_last_name: str
    practice_first_name: str
    site: Structure
    profession_code: str
    profession_other: str
    role_code: str
    start_date: date

    @property
    def identity_key(self) -> str:
        return identity_key(last_name=self.last_name, first_names=self.first_names, birth_date=self.birth_date,
                            birth_place=self.birth_commune_code or self.birth_country_code)


def require_register(actor, site: Structure) -> None:
    """The right to register at `site` (R-RPP-4 to R-RPP-6), asked at every act: the site for a
    decentralised right, the gestionnaire's card, the card login (permissions and rpps_plus.permissions)."""
    permissions.require(actor, "rpps.register", site, site_id=site.pk)


def require_contract(structure: Structure) -> None:
    """No RPPS+ act without the organisation's accepted adhesion contract (R-RPP-16, R-CON-3)."""
    if not has_valid_contract(structure.legal_entity_id or structure.pk):
        raise ContractRequired(details={"rule": "R-RPP-16"})


def normalise_mobile(value: str) -> str | None:
    match = MOBILE.match(compact(value))
    return f"+33{match.group(1)}" if match else None


def check_existing_number(value: str) -> None:
    """R-RPP-14: a professional who has an RPPS or ADELI number needs no RPPS+ registration. The
    number is looked up among the holders of the national extract (`import_rpps_extract`) and the
    portal's own RPPS+ numbers; before any extract is loaded (the demo), its check key alone answers."""
    number = compact(value)
    if not number:
        return
    if not (rpps_is_valid(number) or adeli_is_valid(number)):
        raise InvalidInput("Numéro RPPS (11 chiffres) ou ADELI (9 chiffres) invalide.", code="invalid",
                           details={"existing_number": ["Numéro RPPS ou ADELI invalide (clé de contrôle)."]})
    holder = selectors.known_holder(number)
    if holder is not None:
        raise NoRegistrationNeeded(details={"existing_number": number, "name": holder})
    if selectors.national_directory_loaded():
        raise InvalidInput("Ce numéro RPPS ou ADELI est inconnu du répertoire national.", code="invalid",
                           details={"existing_number": ["Numéro inconnu du répertoire national (RPPS, ADELI) : "
                                                        "vérifiez-le, ou laissez ce champ vide pour enregistrer "
                                                        "le professionnel."]})
    raise NoRegistrationNeeded(details={"existing_number": number})


def clean_registration(data: dict, *, site: Structure | None) -> Registration:
    """Check every field of R-RPP-8 at once; InvalidInput lists the problems per field (French)."""
    check_existing_number(data.get("existing_number", ""))
    errors: dict[str, list[str]] = {}

    def text(name, label, max_length=100, required=True):
        value = " ".join(str(data.get(name) or "").split())
        if required and not value:
            errors[name] = [f"{label} : champ obligatoire."]
        elif len(value) > max_length:
            errors[name] = [f"{label} : {max_length} caractères au plus."]
        return value

    def day(name, label):
        value = data.get(name)
        if isinstance(value, str) and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, date):
            errors[name] = [f"{label} : date attendue (AAAA-MM-JJ)."]
        return value

    civility = str(data.get("civility") or "").upper()
    if civility not in Civility.values:
        errors["civility"] = ["Civilité : M ou MME."]
    last_name, first_names = text("last_name", "Nom de naissance"), text("first_names", "Prénoms", 150)
    birth_date = day("birth_date", "Date de naissance")
    if isinstance(birth_date, date) and not date(1900, 1, 1) <= birth_date <= timezone.localdate():
        errors["birth_date"] = ["Date de naissance invraisemblable."]
    commune = compact(data.get("birth_commune_code") or "")
    country = compact(data.get("birth_country_code") or "")
    if bool(commune) == bool(country):
        errors["birth_commune_code"] = ["Lieu de naissance : code commune INSEE, ou code pays pour une naissance "
                                        "à l'étranger (l'un ou l'autre)."]
    elif commune and not COMMUNE_CODE.match(commune):
        errors["birth_commune_code"] = ["Code commune INSEE invalide (ex. 69123, 2A004)."]
    elif country and not COUNTRY_CODE.match(country):
        errors["birth_country_code"] = ["Code pays INSEE invalide (99 suivi de 3 chiffres, ex. 99134)."]
    email = text("email", "Adresse électronique", 254).lower()
    if email and not EMAIL.match(email):
        errors["email"] = ["Adresse électronique invalide."]
    mobile = normalise_mobile(str(data.get("mobile") or ""))
    if mobile is None:
        errors["mobile"] = ["Téléphone mobile invalide (06 ou 07, 10 chiffres)."]
    # The names used in practice default to the civil ones (the form says so): never required.
    practice_last = text("practice_last_name", "Nom d'exercice", required=False) or last_name
    practice_first = text("practice_first_name", "Prénom d'exercice", required=False) or first_names.split(" ")[0]
    # A J121 code or a profession's name (the form's choice), or the API's `profession`: a name
    # outside the lists is analysed by the ANS (R-RPP-7).
    profession = str(data.get("profession_code") or "").strip()
    other = text("profession_other", "Profession hors liste", 120, required=False)
    named = " ".join(str(data.get("profession") or "").split())
    if not profession and named:
        profession = profession_code(named) or OTHER_PROFESSION
        other = other or ("" if profession != OTHER_PROFESSION else named[:120])
    if profession == OTHER_PROFESSION or (not profession and other):
        profession = ""
        if not other:
            errors["profession_other"] = ["Précisez la profession : elle sera analysée par l'ANS."]
    elif profession_code(profession) is None:
        errors["profession_code"] = ["Profession inconnue : choisissez-la dans la liste ou précisez-la."]
    else:
        profession, other = profession_code(profession), ""
    role = str(data.get("role_code") or "").upper()
    if role not in ROLES:
        errors["role_code"] = ["Rôle : un des sept rôles RPPS+."]
    start_date = day("start_date", "Date de début")
    if site is None:
        errors["site"] = ["Établissement inconnu : indiquez son FINESS géographique."]
    if errors:
        raise InvalidInput("Certaines données de l'enregistrement sont invalides.", details=errors)
    if not site.is_in_finess():
        raise SiteNotInFiness(details={"site": site.finess or site.siret})
    if is_health_establishment(site.category_code):
        raise SiteOutOfScope(details={"site": site.finess, "category": site.category_label})
    return Registration(
        civility=civility, last_name=last_name, first_names=first_names, birth_date=birth_date,
        birth_commune_code=commune, birth_country_code=country, email=email, mobile=mobile,
        practice_last_name=practice_last, practice_first_name=practice_first, site=site,
        profession_code=profession, profession_other=other, role_code=role, start_date=start_date,
    )


def _identity(data: Registration) -> Professional:
    """The professional with this civil status, created once (R-RPP-9): a second employer gets the
    same identity, and its contact data stay those already known."""
    existing = Professional.objects.select_for_update().filter(identity_key=data.identity_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Professional.objects.create(
                civility=data.civility, last_name=data.last_name, first_names=data.first_names,
                birth_date=data.birth_date, birth_commune_code=data.birth_commune_code,
                birth_country_code=data.birth_country_code, email=data.email, mobile=data.mobile,
            )
    except IntegrityError:  # registered at the same instant by another employer
        return Professional.objects.select_for_update().get(identity_key=data.identity_key)


def create_situation(data: Registration, *, actor, origin: str) -> Situation:
    """Create the situation in the state its way in gives (R-RPP-3, R-RPP-7), in the caller's
    transaction; the registration clocks start when it is active."""
    professional = _identity(data)
    if professional.situations.filter(site=data.site, state__in=[
        SituationState.PRE_REGISTERED, SituationState.IN_ANALYSIS, SituationState.ACTIVE,
    ]).exists():
        raise AlreadyRegistered(details={"professional": professional.pk})
    now = timezone.now()
    if origin == Origin.SELF:
        state = SituationState.PRE_REGISTERED
    else:
        state = SituationState.ACTIVE if is_eligible(data.profession_code) else SituationState.IN_ANALYSIS
    situation = Situation(
        state=state, professional=professional, site=data.site, practice_last_name=data.practice_last_name,
        practice_first_name=data.practice_first_name, profession_code=data.profession_code,
        profession_other=data.profession_other, role_code=data.role_code, start_date=data.start_date,
        origin=origin, registered_by=actor if getattr(actor, "pk", None) else None,
        registered_at=now if state == SituationState.ACTIVE else None,
    )
    if state == SituationState.IN_ANALYSIS:
        situation.start_clock(now)
    situation.save()
    record_creation(situation, actor=actor, act="pre_register" if origin == Origin.SELF else "register")
    if state == SituationState.ACTIVE:
        after_registration(situation)
    return situation


def professional_register(*, actor, data: dict, site: Structure | None, origin: str = Origin.GESTIONNAIRE
                          ) -> Situation:
    """A gestionnaire RPPS+ (or the legal representative) registers a professional (R-RPP-3)."""
    if site is not None:
        require_register(actor, site)
        require_contract(site)
    registration = clean_registration(data, site=site)
    with transaction.atomic():
        return create_situation(registration, actor=actor, origin=origin)


def _locked_situation(actor, situation_pk) -> Situation:
    situation = Situation.objects.select_related("site").get(pk=situation_pk)
    require_register(actor, situation.site)
    return situation


def situation_validate(*, actor, situation_pk) -> Situation:
    """The employer validates a pre-registration (R-RPP-3); an unlisted profession goes to the ANS."""
    require_contract(_locked_situation(actor, situation_pk).site)
    with transaction.atomic():
        situation = perform_act(Situation, situation_pk, "validate", actor=actor,
                                expected_state=SituationState.PRE_REGISTERED, by=actor).request
        if situation.state == SituationState.ACTIVE:
            after_registration(situation)
    return situation


def situation_refuse(*, actor, situation_pk, reason: str) -> Situation:
    _locked_situation(actor, situation_pk)
    with transaction.atomic():
        situation = perform_act(Situation, situation_pk, "refuse", actor=actor, reason=reason,
                                expected_state=SituationState.PRE_REGISTERED, by=actor).request
        mail_on_commit(to=[situation.professional.email], subject="Votre pré-inscription RPPS+",
                       template="rpps_plus/mail/pre_registration_refused.txt",
                       context={"situation": situation, "reason": reason})
    return situation


def situation_change_role(*, actor, situation_pk, role_code: str) -> Situation:
    if role_code not in ROLES:
        raise InvalidInput("Rôle : un des sept rôles RPPS+.", details={"role_code": ["Rôle inconnu."]})
    _locked_situation(actor, situation_pk)
    with transaction.atomic():
        situation = Situation.objects.select_for_update().get(pk=situation_pk)
        if situation.state != SituationState.ACTIVE:
            raise StateConflict()
        previous = situation.role_code
        situation.role_code = role_code
        situation.save(update_fields=["role_code", "updated_at", "search_name"])
        audit.record(situation, actor=actor, act="change_role", from_state=situation.state,
                     snapshot={"from": previous, "to": role_code})
    return situation


def situation_end(*, actor, situation_pk, end_date: date | None = None, reason: str = "") -> Situation:
    """The gestionnaire ends a situation (R-RPP-5): it leaves the Annuaire Santé."""
    situation = _locked_situation(actor, situation_pk)
    end_date = end_date or timezone.localdate()
    if end_date < situation.start_date:
        raise InvalidInput("La date de fin précède la date de début.", details={"end_date": ["Date de fin invalide."]})
    with transaction.atomic():
        situation = perform_act(Situation, situation_pk, "end", actor=actor, reason=reason,
                                expected_state=SituationState.ACTIVE, end_date=end_date).request
        cancel_steps(situation, kinds=[STEP_PUBLISH])
    return situation


def professional_leave(*, actor, professional_pk, end_date: date | None = None) -> list[Situation]:
    """The professional leaves the employer: each of his active situations on the sites the actor
    manages ends (the other employers' situations stay)."""
    situations = list(selectors.situations_for_user(actor).filter(
        professional_id=professional_pk, state=SituationState.ACTIVE, site__in=selectors.managed_sites(actor),
    ))
    if not situations:
        raise ActNotAllowed("Aucune situation active de ce professionnel dans vos établissements.")
    with transaction.atomic():
        return [situation_end(actor=actor, situation_pk=s.pk, end_date=end_date, reason="Départ du professionnel")
                for s in situations]


def situation_accept_profession(*, actor, situation_pk, profession_code: str) -> Situation:
    """The ANS settles an unlisted profession on a J121 code and the registration goes on."""
    permissions.require(actor, "rpps.analyse")
    if profession_code not in PROFESSIONS:
        raise InvalidInput("Code profession inconnu (TRE_R85, JDV J121).",
                           details={"profession_code": ["Code inconnu."]})
    with transaction.atomic():
        situation = perform_act(Situation, situation_pk, "accept_profession", actor=actor,
                                expected_state=SituationState.IN_ANALYSIS, profession_code=profession_code).request
        after_registration(situation)
    return situation


def situation_reject_profession(*, actor, situation_pk, reason: str) -> Situation:
    permissions.require(actor, "rpps.analyse")
    with transaction.atomic():
        situation = perform_act(Situation, situation_pk, "reject_profession", actor=actor, reason=reason,
                                expected_state=SituationState.IN_ANALYSIS).request
        # The gestionnaires hear of the decision from the dialogue (its notification centre, one mail
        # with the attestation): this mail is the professional's, unless he is one of them.
        told = {user.email for user in notices.organisation_side(situation)}
        recipients = [email for email in [situation.professional.email] if email not in told]
        mail_on_commit(to=recipients, subject="Enregistrement RPPS+ : profession non retenue",
                       template="rpps_plus/mail/profession_rejected.txt",
                       context={"situation": situation, "reason": reason})
    return situation


def professional_update_contact(*, actor, professional: Professional, email: str, mobile: str) -> Professional:
    """The professional, logged in with his e-CPS, changes his contact data (R-RPP-15)."""
    if actor is SYSTEM or getattr(actor, "pk", None) is None or professional.user_id != actor.pk:
        raise ActNotAllowed()
    errors = {}
    email = " ".join(email.split()).lower()
    if not EMAIL.match(email):
        errors["email"] = ["Adresse électronique invalide."]
    normalised = normalise_mobile(mobile)
    if normalised is None:
        errors["mobile"] = ["Téléphone mobile invalide (06 ou 07, 10 chiffres)."]
    if errors:
        raise InvalidInput("Coordonnées invalides.", details=errors)
    with transaction.atomic():
        locked = Professional.objects.select_for_update().get(pk=professional.pk)
        changed = [name for name, value in (("email", email), ("mobile", normalised)) if getattr(locked, name) != value]
        locked.email, locked.mobile = email, normalised
        locked.save(update_fields=["email", "mobile", "updated_at"])
        audit.record(locked, actor=actor, act="update_contact", snapshot={"changed": changed})
    return locked
