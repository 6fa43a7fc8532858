"""The professional's own pre-registration (R-RPP-3): the portal's sign-up with email and mobile
verification stands for FranceConnect. He names his employer's site; once both codes are right,
a pre-registered situation waits for a gestionnaire of that site to validate or refuse it."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from contracts.models import Structure, StructureKind
from esms_portal.core.notify import mail_on_commit

from .. import send_limits
from ..models import Origin, SignUp, Situation
from ..sms import sms_on_commit
from .ecps import check_codes, issue_codes
from .registration import clean_registration, create_situation


def site_by_finess(finess: str) -> Structure | None:
    finess = "".join((finess or "").split()).upper()
    return Structure.objects.filter(finess=finess, kind=StructureKind.EG).select_related("legal_entity").first()


def _serialisable(data: dict) -> dict:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in data.items()
            if key != "site"}


def signup_start(*, data: dict, client: str) -> SignUp:
    """Check the data (R-RPP-8, R-RPP-14, R-FIN-4), then send a code by email and one by SMS, within
    the send limits of the requester's address `client`, the mobile and the email."""
    registration = clean_registration(data, site=site_by_finess(data.get("site_finess", "")))
    send_limits.allow_send("signup", address=client, mobile=registration.mobile, email=registration.email)
    minutes = settings.PORTAL_RPPS_CODE_SECONDS // 60
    with transaction.atomic():
        signup, email_code, sms_code = issue_codes(
            SignUp, data={**_serialisable(data), "site_finess": registration.site.finess}, email=registration.email,
            mobile=registration.mobile,
        )
        mail_on_commit(to=[registration.email], subject="Pré-inscription RPPS+ : code de vérification",
                       template="rpps_plus/mail/signup_code.txt", context={"code": email_code, "minutes": minutes})
        sms_on_commit(to=registration.mobile,
                      text=f"RPPS+ : votre code de vérification est {sms_code} (valable {minutes} min).")
    return signup


def signup_verify(*, signup_id, email_code: str, sms_code: str) -> Situation:
    """Both codes right: the pre-registration is filed for the employer's validation."""
    check_codes(SignUp, signup_id, email_code=email_code, sms_code=sms_code, situation__isnull=True)
    with transaction.atomic():
        signup = SignUp.objects.select_for_update().get(pk=signup_id)
        if signup.situation_id:  # verified twice at once: one situation
            return signup.situation
        registration = clean_registration(signup.data, site=site_by_finess(signup.data["site_finess"]))
        situation = create_situation(registration, actor=None, origin=Origin.SELF)
        signup.situation = situation
        signup.expires_at = timezone.now()
        signup.save(update_fields=["situation", "expires_at"])
    return situation
