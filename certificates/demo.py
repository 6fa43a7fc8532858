"""Demo data of the certificates app (loaded by `manage.py load_demo`, idempotent): the legal
representative designates himself technical administrator (F413, R-CER-1), the agent accepts it,
and he orders an ORG AUTH_CLI certificate from a CSR. A second CSR waits in var/demo/ for the
visitor to order one from the page and download it."""

from pathlib import Path

from django.conf import settings

from contracts.models import Structure
from esms_portal import pki
from esms_portal.models import User

from . import selectors, services
from .models import FormState

MAIN_ORGANISATION = "0B1000013"
REPRESENTATIVE = "representant@demo.esms.example"
AGENT = "agent@demo.ans.example"
SOFTWARE = "DUI Démo"


def _csr(name: str) -> bytes:
    """A CSR whose key stays in var/demo/ (what an editor's server would keep)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    directory = Path(settings.BASE_DIR) / "var" / "demo"
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / f"{name}.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    csr = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    ).sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    (directory / f"{name}.csr").write_bytes(csr)
    return csr


def load_demo_data(stdout) -> None:
    organisation = Structure.objects.get(finess=MAIN_ORGANISATION)
    representative = User.objects.get(email=REPRESENTATIVE)
    # She acts as after logging in with the CDE the cards' demo gave her (R-CER-4 on production settings).
    representative.card_authenticated = True
    agent = User.objects.get(email=AGENT)
    if not selectors.accepted_designations(organisation.pk).exists():
        site = Structure.objects.filter(legal_entity=organisation, kind="EG").order_by("finess").first()
        form = services.f413_file(
            actor=representative, organisation=organisation, structure_id_kind="finess",
            structure_id=(site or organisation).finess,
            certificate_types=[pki.Profile.ORG_AUTH_CLI, pki.Profile.ORG_SIGN, pki.Profile.ORG_AUTH_CLI_INSI],
            administrator_emails=[REPRESENTATIVE], software_names=[SOFTWARE],
        )
        if form.state == FormState.SUBMITTED:
            services.form_act(actor=agent, form=form, act="start_instruction")
            services.form_accept(actor=agent, form=form)
    if not selectors.live_certificates(organisation.pk).filter(profile=pki.Profile.ORG_SIGN).exists():
        services.certificate_order(actor=representative, organisation=organisation, profile=pki.Profile.ORG_SIGN,
                                   software_name=SOFTWARE, csr=_csr("dui-demo-sign"))
    _csr("dui-demo-auth")
    stdout.write(
        f"Certificats : {REPRESENTATIVE} est administrateur technique (F413 acceptée) ; commandez un ORG AUTH_CLI "
        "sur /certificats/ avec la CSR var/demo/dui-demo-auth.csr, puis téléchargez-le."
    )
