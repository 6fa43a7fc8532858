"""Readiness of an EJ for each service socle, from the MIE x service matrix (R-SOC-1) and R-SOC-2..5.

Inputs are the facts the providers wrote on the batch (names below) and the EJ's
ServiceDeclaration. A fact a provider could not give (its app not installed yet) is missing from
the dict: the service then says so instead of pretending.

Facts (their size never grows with the EJ: counts, and the first few names to show):
- cards: `usable_cards` {family: Names} (the EJ's usable cards per family), `carded_qualifiers`
  {holder_id: {family}} (the usable cards of the people its declaration names as qualifying
  identities), `usable_card_holders` (a function of an EJ id answering a subquery of the holders'
  user ids: the declaration form offers them);
- certificates: `certificates` {profile} live, `operator_f413` bool, `technical_admins` int;
- rpps_plus: `ecps_holders` Names, `mailbox_professionals` (count, [{name, rpps, profession, role}]):
  the professionals with a care role (R-SOC-4), the first MAILBOXES_SHOWN by name.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from esms_portal.onboarding.support import day


class Means(StrEnum):
    """The rows of the matrix (webinar of April 2024, slide « Les MIE »)."""

    CPS = "CPS"
    CPE = "CPE"
    CERTIFICATE = "certificate"
    ECPS = "e-CPS"


class Use(StrEnum):
    INS = "ins"
    DMP_FEED = "dmp_feed"
    DMP_CONSULT = "dmp_consult"
    MSSANTE = "mssante"


# R-SOC-1: what each means of identification allows; "announced" uses are not available yet.
MATRIX: dict[Means, frozenset[Use]] = {
    Means.CPS: frozenset({Use.INS, Use.DMP_FEED, Use.DMP_CONSULT, Use.MSSANTE}),
    Means.CPE: frozenset({Use.INS, Use.DMP_FEED}),
    Means.CERTIFICATE: frozenset({Use.INS, Use.DMP_FEED}),
    Means.ECPS: frozenset({Use.MSSANTE}),
}
ANNOUNCED = {
    (Means.CERTIFICATE, Use.DMP_CONSULT): "consultation à venir sous réserve d'autorisation CNIL",
    (Means.ECPS, Use.DMP_CONSULT): "consultation à venir",
}
# The matrix names CPS and nominative CPE; the other establishment cards (director's CDE, CPA and
# CDA of structures giving no care) and the CPF of a professional in training carry the same
# nominative staff certificates as a CPE, so they get the CPE row (the documents are silent).
FAMILY_MEANS = {"CPS": Means.CPS, "CPE": Means.CPE, "CDE": Means.CPE, "CPA": Means.CPE, "CDA": Means.CPE,
                "CPF": Means.CPE}

SIGN, AUTH_CLI, INSI, SSL = "ORG_SIGN", "ORG_AUTH_CLI", "ORG_AUTH_CLI_INSI", "SSL_SERVEUR"
CERTIFICATE_LABELS = {
    SIGN: "certificat ORG SIGN",
    AUTH_CLI: "certificat ORG AUTH_CLI",
    INSI: "certificat ORG AUTH_CLI INSi",
    SSL: "certificat serveur SERV_SSL (SSL_SERVEUR)",
}


NAMES_SHOWN = 20  # names listed after a count: an EJ may hold thousands of cards
MAILBOXES_SHOWN = 30


class Names(NamedTuple):
    """How many (cards, e-CPS), the first NAMES_SHOWN names in alphabetical order, and whether
    there are names beyond them."""

    count: int
    names: tuple[str, ...]
    more: bool = False


def allows(means: Means, use: Use) -> bool:
    return use in MATRIX[means]


@dataclass
class ServiceReadiness:
    key: str
    label: str
    rules: tuple[str, ...]
    ready: bool = False
    means: list[str] = field(default_factory=list)  # what makes it work, when ready
    missing: list[str] = field(default_factory=list)  # why not, citing the missing means
    notes: list[str] = field(default_factory=list)
    mailboxes: list[dict] = field(default_factory=list)  # MSSanté: the first who may get a nominative mailbox
    mailbox_count: int = 0  # and how many may

    def settle(self) -> "ServiceReadiness":
        self.ready = not self.missing
        return self


def _serves(family: str, use: Use) -> bool:
    return allows(FAMILY_MEANS.get(family, Means.CPE), use)


def _holders(facts: dict, use: Use) -> Names:
    """The usable cards whose family serves `use`: how many, and their holders' first names."""
    count, names, more = 0, set(), False
    for family, found in facts.get("usable_cards", {}).items():
        if _serves(family, use):
            count += found.count
            names.update(found.names)
            more = more or found.more
    ordered = sorted(names)
    return Names(count, tuple(ordered[:NAMES_SHOWN]), more or len(ordered) > NAMES_SHOWN)


def _names(found: Names) -> str:
    listed = ", ".join(found.names)
    return f"{listed} et d'autres" if found.more else listed


def ins(facts: dict, declaration) -> ServiceReadiness:
    """R-SOC-2: INSi by certificate needs its own certificate and a self-homologation; otherwise
    the staff who qualify identities need cards."""
    service = ServiceReadiness("ins", "INS (appel du téléservice INSi)", ("R-SOC-1", "R-SOC-2", "R-CER-6"))
    by_certificate = declaration.insi_by_certificate if declaration else None
    if by_certificate:
        certificates = facts.get("certificates")
        if certificates is None:
            service.missing.append("Les certificats logiciels ne sont pas encore suivis par le portail.")
        elif INSI not in certificates:
            service.missing.append(f"Il manque le {CERTIFICATE_LABELS[INSI]}, que l'administrateur technique commande.")
        else:
            service.means.append(f"Le {CERTIFICATE_LABELS[INSI]} du logiciel")
        if declaration.insi_self_homologation_on:
            service.means.append(f"Auto-homologation réalisée le {day(declaration.insi_self_homologation_on)}")
        else:
            service.missing.append("L'auto-homologation INSi n'est pas déclarée réalisée.")
        return service.settle()
    if by_certificate is None:
        service.notes.append("Indiquez si votre logiciel appelle l'INSi par certificat : sinon, des cartes sont "
                             "nécessaires aux personnels qui qualifient les identités.")
    qualifiers = {user.pk: _display(user) for user in declaration.identity_qualifiers.all()} if declaration else {}
    carded = {holder for holder, families in facts.get("carded_qualifiers", {}).items()
              if any(_serves(family, Use.INS) for family in families)}
    if not qualifiers:
        service.missing.append("Aucun personnel qui qualifie les identités n'est déclaré.")
    for user_id, name in sorted(qualifiers.items(), key=lambda item: item[1]):
        if user_id in carded:
            service.means.append(f"Carte CPS ou CPE active de {name}")
        else:
            service.missing.append(f"{name} qualifie les identités mais n'a pas de carte CPS ou CPE active.")
    return service.settle()


def dmp_feed(facts: dict, declaration) -> ServiceReadiness:
    """R-SOC-3, R-CER-6: by card, or by the two certificates SIGN and AUTH_CLI."""
    service = ServiceReadiness("dmp_feed", "DMP : alimentation", ("R-SOC-1", "R-SOC-3", "R-CER-6", "R-CER-7"))
    certificates = facts.get("certificates") or set()
    cards = _holders(facts, Use.DMP_FEED)
    if {SIGN, AUTH_CLI} <= certificates:
        service.means.append("Les 2 certificats du logiciel : ORG SIGN et ORG AUTH_CLI")
    if cards.count:
        service.means.append(f"Cartes CPS ou CPE actives ({cards.count}) : {_names(cards)}")
    if not service.means:
        lacking = [CERTIFICATE_LABELS[p] for p in (SIGN, AUTH_CLI) if p not in certificates]
        service.missing.append("Ni les 2 certificats (il manque : " + ", ".join(lacking) + "), "
                               "ni aucune carte CPS ou CPE active.")
    return service.settle()


def dmp_consult(facts: dict, declaration) -> ServiceReadiness:
    """R-SOC-3, R-CER-7: only health professionals (RPPS, ADELI) with a CPS or e-CPS consult the DMP."""
    service = ServiceReadiness("dmp_consult", "DMP : consultation", ("R-SOC-1", "R-SOC-3", "R-CER-7"))
    cards = _holders(facts, Use.DMP_CONSULT)
    if cards.count:
        service.means.append(f"Professionnels de santé avec une CPS active ({cards.count}) : {_names(cards)}")
    else:
        service.missing.append("Aucun professionnel de santé inscrit au RPPS ou à ADELI n'a de carte CPS active.")
    service.notes.append("Un certificat logiciel ne consulte pas le DMP ; pour l'e-CPS comme pour les certificats, "
                         "la consultation est annoncée, pas encore ouverte.")
    return service.settle()


def mssante(facts: dict, declaration) -> ServiceReadiness:
    """R-SOC-4, R-SOC-5: an operator (third party, or the EJ itself with the operator pack), and
    professionals with a CPS or an e-CPS."""
    service = ServiceReadiness("mssante", "MSSanté", ("R-SOC-1", "R-SOC-4", "R-SOC-5", "R-CER-9"))
    mode = declaration.mssante_mode if declaration else ""
    if not mode:
        service.missing.append("Aucun opérateur MSSanté n'est choisi : passer par un opérateur tiers, "
                               "ou devenir opérateur.")
    elif mode == "third_party":
        if declaration.mssante_operator:
            service.means.append(f"Opérateur tiers : {declaration.mssante_operator}")
        else:
            service.missing.append("L'opérateur MSSanté tiers choisi n'est pas renseigné.")
    else:
        _operator_pack(service, facts, declaration)
    cps = _holders(facts, Use.MSSANTE)
    ecps = facts.get("ecps_holders")
    if cps.count:
        service.means.append(f"Cartes CPS actives ({cps.count})")
    if ecps and ecps.count:
        service.means.append(f"e-CPS activées ({ecps.count}) : {_names(ecps)}")
    if ecps is None:
        service.notes.append("Les e-CPS ne sont pas encore suivies par le portail.")
    if not cps.count and not (ecps and ecps.count):
        service.missing.append("Aucun professionnel n'a de moyen d'accès à MSSanté : une carte CPS ou une e-CPS "
                               "activée est nécessaire.")
    professionals, shown = facts.get("mailbox_professionals", (0, []))
    service.mailbox_count = professionals + cps.count
    service.mailboxes = list(shown[:MAILBOXES_SHOWN])
    service.mailboxes += [{"name": name, "rpps": "", "profession": "Professionnel de santé (CPS)", "role": ""}
                          for name in cps.names[:MAILBOXES_SHOWN - len(service.mailboxes)]]
    return service.settle()


def _operator_pack(service: ServiceReadiness, facts: dict, declaration) -> None:
    """R-SOC-5, R-CER-9: operator contract, annexes 1 and 2, F413 and a SERV_SSL certificate."""
    for label, sent_on in declaration.operator_pack_documents:
        if sent_on:
            service.means.append(f"{label} transmis le {day(sent_on)}")
        else:
            service.missing.append(f"Pack opérateur : {label.lower()} non transmis.")
    if facts.get("operator_f413"):
        service.means.append("F413 acceptée avec le certificat serveur")
    else:
        service.missing.append("Pack opérateur : aucune F413 acceptée demandant le certificat serveur SSL_SERVEUR.")
    if SSL in (facts.get("certificates") or set()):
        service.means.append(f"Le {CERTIFICATE_LABELS[SSL]}")
    else:
        service.missing.append(f"Pack opérateur : il manque le {CERTIFICATE_LABELS[SSL]}.")


def _display(user) -> str:
    return f"{user.first_name} {user.last_name}".strip() or user.email


SERVICES = (ins, dmp_feed, dmp_consult, mssante)


def readiness(facts: dict, declaration) -> list[ServiceReadiness]:
    return [service(facts, declaration) for service in SERVICES]
