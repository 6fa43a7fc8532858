"""Domain errors of RPPS+, with their stable API codes and French messages."""

from esms_portal.core.errors import ActNotAllowed, PortalError, PrerequisiteMissing, StateConflict


class NoRegistrationNeeded(PortalError, code="already_identified", status=409,
                           message="Ce professionnel a déjà un numéro RPPS ou ADELI : il n'a pas besoin "
                                   "d'enregistrement RPPS+ (ses services numériques passent par ce numéro)."):
    pass


class AlreadyRegistered(StateConflict, code="already_registered",
                        message="Ce professionnel a déjà une situation d'exercice en cours dans cet établissement."):
    pass


class SiteNotInFiness(PrerequisiteMissing, code="site_not_in_finess",
                      message="L'établissement doit être inscrit et ouvert au répertoire FINESS (R-FIN-4)."):
    pass


class SiteOutOfScope(PrerequisiteMissing, code="site_out_of_scope",
                     message="RPPS+ enregistre les professionnels des établissements sociaux et médico-sociaux : "
                             "un établissement de santé (hôpital, clinique) n'y entre pas (R-RPP-1)."):
    pass


class GestionnaireCardRequired(ActNotAllowed, code="gestionnaire_card_required",
                               message="Un gestionnaire RPPS+ doit détenir une carte CPE (ou CDE) active de "
                                       "l'organisation : la vôtre est absente, opposée ou expirée."):
    pass


class ContractRequired(PrerequisiteMissing, code="contract_required",
                       message="Le contrat d'adhésion de l'organisation doit être accepté avant tout acte RPPS+ : "
                               "c'est lui qui ouvre le droit de déclarer vos professionnels au RPPS."):
    pass


class RppsRangeExhausted(PortalError, code="rpps_range_exhausted", status=503,
                         message="La plage de numéros RPPS est épuisée : l'ANS doit en ouvrir une nouvelle."):
    pass


class CodesInvalid(PortalError, code="invalid_codes", status=400):
    wording = "Codes erronés : il reste {attempts_left} essai{s}."

    def __init__(self, attempts_left: int):
        s = "s" if attempts_left > 1 else ""
        super().__init__(self.wording.format(attempts_left=attempts_left, s=s),
                         details={"attempts_left": attempts_left})


class CodesExpired(PortalError, code="codes_expired", status=410,
                   message="Ces codes ne sont plus valables (expirés ou trop d'essais) : demandez-en de nouveaux."):
    pass


class TooManyMessages(PortalError, code="too_many_messages", status=429,
                      message="Trop de codes ont été demandés : réessayez dans une heure."):
    """A send refused by rpps_plus.send_limits: nothing is sent nor stored."""


class ECpsNotOpen(PrerequisiteMissing, code="ecps_not_open"):
    pass


class UnknownIdentifier(PortalError, code="unknown_identifier", status=404,
                        message="Identifiant e-CPS inconnu : saisissez 8 suivi de votre numéro RPPS (12 chiffres), "
                                "ou l'identifiant imprimé sur la 1re ligne de votre carte CPx "
                                "(ex. 30B7280221/CPET00001)."):
    pass


class CardNotUsable(PortalError, code="card_not_usable", status=409,
                    message="Cette carte ne permet pas d'activer une e-CPS."):
    """The identifier is a card's, but the card is opposed, expired, not yet active or blocked."""


class HolderMobileMissing(PrerequisiteMissing, code="holder_mobile_missing",
                          message="Aucun mobile de correspondance n'est connu pour cette carte : connectez-vous au "
                                  "portail et renseignez-le sur la page « Mon mobile e-CPS » (/rpps/e-cps/mobile/), "
                                  "puis recommencez."):
    pass


class LoginCodeInvalid(CodesInvalid, code="invalid_code"):
    wording = "Code erroné : il reste {attempts_left} essai{s}."


# The e-CPS words the kernel's WrongPin its own way (its code is the "code PIN", R-RPP-15).
ECPS_WRONG_PIN = "Code PIN erroné : il reste {tries_left} essai{s} avant le blocage."


class ECpsLocked(PortalError, code="ecps_locked", status=403,
                 message="Votre e-CPS est bloquée après trop de codes PIN erronés. Pour la débloquer, refaites "
                         "son activation : votre identifiant e-CPS, les codes reçus par courriel et par SMS, puis "
                         "un nouveau code PIN."):
    pass


class ECpsUnusable(PortalError, code="ecps_unusable", status=403,
                   message="Aucune e-CPS active pour cet identifiant : activez-la (ou renouvelez-la si elle a "
                           "expiré)."):
    pass
