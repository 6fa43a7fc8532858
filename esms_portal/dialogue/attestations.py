"""The attestation of every decision on an instructed request (issue #19): acceptance, refusal,
termination. One for every request type the apps declare (`RequestType`), with no code of theirs.

Issued inside the decision's own transaction, from `act_recording` (sent by `perform_act` just before
the audit row): the PDF is rendered there (WeasyPrint, some tens of milliseconds, deterministic), its
row written and its SHA-256 handed to the decision's audit row. The file itself is written to private
storage once the decision commits: a rolled-back decision leaves neither row nor file. The PDF being
deterministic, a file lost between the commit and its writing is rendered again from the row, and
checked against the recorded hash before it is served.

Anyone holding a PDF checks it on the public page `/attestations/<code>/` (attestation_views): same
code, same SHA-256 → authentique.
"""

import base64
import re
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from esms_portal.core.permissions import scope_for_act
from esms_portal.core.tenant import legal_entity_of
from esms_portal.core.uploads import private_storage, sha256
from esms_portal.dialogue import attestation_pdf
from esms_portal.models import Attestation, Decision
from esms_portal.workflow.act_pages import reference_of
from esms_portal.workflow.declarations import request_types
from esms_portal.workflow.events import act_recording

# The decision acts of the kernel's machines and of the apps'; a declaration may name its own
# (`decision_acts = {"act": Decision.X}`).
DECISION_ACTS: dict[str, str] = {
    "accept": Decision.ACCEPTED,
    "reject": Decision.REFUSED,
    "terminate": Decision.TERMINATED,
    "accept_profession": Decision.ACCEPTED,
    "reject_profession": Decision.REFUSED,
}
FOLDER = "attestations"
CODE_GROUPS, GROUP_SIZE = 4, 4  # 16 base32 characters: 80 random bits
_NOT_CODE = re.compile(r"[^A-Z2-7]")
# What people mistype for a base32 character (no 0, 1, 8, 9 in its alphabet).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})


def new_code() -> str:
    """A random code to type: ABCD-EFGH-IJKL-MNOP (RFC 4648 base32, 80 bits from `secrets`)."""
    letters = base64.b32encode(secrets.token_bytes(CODE_GROUPS * GROUP_SIZE * 5 // 8)).decode()
    return "-".join(letters[i:i + GROUP_SIZE] for i in range(0, len(letters), GROUP_SIZE))


def normalise_code(typed: str) -> str:
    """A typed code in its canonical form, whatever its case, spaces, dashes and look-alike digits;
    "" when it cannot be one."""
    letters = _NOT_CODE.sub("", (typed or "").upper().translate(_LOOKALIKES))
    if len(letters) != CODE_GROUPS * GROUP_SIZE:
        return ""
    return "-".join(letters[i:i + GROUP_SIZE] for i in range(0, len(letters), GROUP_SIZE))


def decision_of(request, act: str) -> str:
    """The decision `act` is on a declared request type, or "" (not a decision, or not declared)."""
    declaration = getattr(type(request), "request_type", None)
    if declaration is None or declaration not in request_types():
        return ""
    return getattr(declaration, "decision_acts", DECISION_ACTS).get(act, "")


def _identified(structure) -> tuple[str, str]:
    """(« FINESS juridique » | « FINESS géographique » | « SIRET », its number)."""
    if structure.finess:
        return ("FINESS juridique" if structure.legal_entity_id == structure.pk else "FINESS géographique",
                structure.finess)
    return "SIRET", structure.siret


def concerned_structure(request, organisation) -> tuple[str, str] | None:
    """The structure the request names besides its organisation, as identification.py names one: a
    FINESS géographique or SIRET typed on the form, the contract's signing structure, the site."""
    kind, number = getattr(request, "structure_id_kind", ""), getattr(request, "structure_id", "")
    if kind and number:
        return ("SIRET" if kind.lower() == "siret" else "FINESS géographique"), number
    for field in ("contracting_structure", "site"):
        structure = getattr(request, field, None)
        if structure is not None and structure.pk != organisation.pk:
            return _identified(structure)
    return None


def request_label(declaration, model) -> str:
    """« F301 — cartes du personnel », « Contrat d'adhésion »: the declaration's title when it is a
    form's, else the declaration's `attestation_title` or the model's name."""
    if declaration.number:
        return declaration.title
    title = getattr(declaration, "attestation_title", "") or str(model._meta.verbose_name)
    return title[:1].upper() + title[1:]


def issue(request, *, act: str, decision: str, reason: str) -> tuple[Attestation, bytes]:
    """Render and record the attestation of `decision` on `request` (in the caller's transaction);
    the file is stored once it commits."""
    declaration, model = type(request).request_type, type(request)
    organisation = legal_entity_of(request.organisation)
    kind, identifier = _identified(organisation)
    decided_at = getattr(request, "terminated_at" if decision == Decision.TERMINATED else "decided_at", None)
    attestation = Attestation(
        code=new_code(), content_type=ContentType.objects.get_for_model(model), object_id=str(request.pk),
        request_key=declaration.key, request_label=request_label(declaration, model),
        reference=reference_of(request), act=act, decision=decision, decided_at=decided_at or timezone.now(),
        reason=reason.strip() if decision != Decision.ACCEPTED else "", organisation_id=organisation.pk,
        organisation_name=organisation.long_name or organisation.name, organisation_identifier=identifier,
        organisation_identifier_kind=kind,
    )
    structure_kind, structure = concerned_structure(request, organisation) or ("", "")
    attestation.structure_identifier_kind, attestation.structure_identifier = structure_kind, structure
    pdf = attestation_pdf.render(attestation)
    attestation.sha256 = sha256(pdf)
    attestation.file = f"{FOLDER}/{attestation.code}.pdf"
    attestation.save()
    transaction.on_commit(lambda: _store(attestation.file, pdf))
    return attestation, pdf


def _store(name: str, pdf: bytes) -> None:
    if not private_storage.exists(name):
        private_storage.save(name, ContentFile(pdf))


def on_act_recording(sender, *, request, act, actor, reason="", **kwargs) -> dict | None:
    """`act_recording` receiver: a decision gets its attestation; its code and hash go in the audit row."""
    decision = decision_of(request, act)
    if not decision:
        return None
    attestation, _pdf = issue(request, act=act, decision=decision, reason=reason)
    return {"attestation": {"code": attestation.code, "sha256": attestation.sha256}}


def connect() -> None:
    act_recording.connect(on_act_recording, dispatch_uid="dialogue.attestations")


# Reads.
def attestations_of(request) -> list[Attestation]:
    """The attestations of one request, newest first."""
    return list(Attestation.objects.filter(content_type=ContentType.objects.get_for_model(type(request)),
                                           object_id=str(request.pk)))


def issued(code: str) -> Attestation | None:
    """The attestation issued under `code` (typed in any form), or None."""
    canonical = normalise_code(code)
    return Attestation.objects.filter(code=canonical).first() if canonical else None


def attestation_for_user(user, code: str) -> Attestation:
    """The attestation `code` if `user` may see its request (its declaration's `view_act`; agents
    every one), else Http404, as for any object of another organisation."""
    attestation = issued(code)
    if attestation is None:
        raise Http404
    model = attestation.content_type.model_class()
    declaration = getattr(model, "request_type", None)
    if declaration is None or not declaration.view_act:
        raise Http404
    visible = scope_for_act(model._default_manager.all(), user, declaration.view_act)
    if not visible.filter(pk=attestation.object_id).exists():
        raise Http404
    return attestation


def pdf_of(attestation: Attestation) -> bytes:
    """The stored PDF; rendered again (deterministic) if its file was lost, and served only if its
    hash is the recorded one."""
    if private_storage.exists(attestation.file):
        with private_storage.open(attestation.file, "rb") as stored:
            data = stored.read()
    else:
        data = attestation_pdf.render(attestation)
        if sha256(data) == attestation.sha256:
            _store(attestation.file, data)
    if sha256(data) != attestation.sha256:
        raise AttestationAltered()
    return data


class AttestationAltered(Exception):
    """The stored file no longer has the recorded hash: never served as the attestation."""


def verify(attestation: Attestation, *, data: bytes | None = None, digest: str = "") -> bool:
    """Is `data` (a PDF's bytes) or `digest` (its SHA-256 in hex) the attestation issued under its code?"""
    if data is not None:
        digest = sha256(data)
    return secrets.compare_digest(digest.strip().lower(), attestation.sha256)
