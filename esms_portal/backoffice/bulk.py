"""Bulk acts of the back office: one act of an agent over up to 500 cases of any declared type.

A case is named by its *case ref*, `"<type_key>:<pk>"` (the declaration's `key`, the request's pk).
Each case goes through the same service as its own page's act (the declaration's `perform`, or the
queue's label and assignment services), so permission, guards and prerequisites are checked again
per case, in the case's own transaction, with its own audit row. A case that cannot take the act is
skipped with the French message of the refusal; the others go on.

The job is a row (`BulkJob`) and each case treated leaves a mark (`BulkCase`) written in the case's
transaction: a job run twice (the same submission posted twice, a retried Celery task) acts once
per case. Up to BACKGROUND_OVER cases it runs in the agent's request; above, on the Celery workers
(esms_portal.backoffice.tasks), and the report page follows its progress.

A background job is cut into chunks of CHUNK cases, one message each (`bulk_dispatch`), so that every
worker process takes some (production runs as many as the machine has cores): the progress is the
count of marks, whoever wrote them. The mark is the case's claim: it is inserted first in the case's
transaction, `ON CONFLICT DO NOTHING`, before the act. A second run of the same case (a chunk sent
twice, a redelivered message, a job resent by beat) waits on that uncommitted row, then finds it and
does nothing; if the first rolled back, it acts. The after-commit work that may be done once for many
cases (the onboarding tracker's refresh of the EJs they changed) is done when the chunk ends (`core.batches`).
"""

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst

from esms_portal.backoffice import services
from esms_portal.celery import app
from esms_portal.core import batches, permissions
from esms_portal.core.errors import InvalidInput, PortalError, StateConflict
from esms_portal.core.queries import get_or_404
from esms_portal.models import BulkCase, BulkJob, BulkJobState, BulkOutcome, Label
from esms_portal.workflow.declarations import request_type

logger = logging.getLogger(__name__)

MAX_CASES = 500
BACKGROUND_OVER = 50  # above this many cases, a Celery worker runs the job
STALLED_AFTER = timedelta(minutes=5)  # a background job without progress this long is sent again
RUN_TASK = "esms_portal.backoffice.run_bulk"  # esms_portal.backoffice.tasks
CHUNK_TASK = "esms_portal.backoffice.run_bulk_chunk"
CHUNK = 20  # cases per message of a background job: small enough to spread over the workers
REF = re.compile(r"^[a-z0-9_-]{1,40}:[A-Za-z0-9-]{1,64}$")


@dataclass(frozen=True)
class BulkAct:
    label: str  # French, the choice the agent makes
    param: str = ""  # what the act needs besides the cases: message, label, assignee
    instruction: bool = False  # performed by the declaration's service (RequestType.perform)


ACTS = {
    "start_instruction": BulkAct("Prendre en charge", instruction=True),
    "ask_completion": BulkAct("Demander des compléments (un même message)", param="message", instruction=True),
    "accept": BulkAct("Accepter", instruction=True),
    "add_label": BulkAct("Ajouter une étiquette", param="label"),
    "remove_label": BulkAct("Retirer une étiquette", param="label"),
    "assign": BulkAct("Attribuer à un agent", param="assignee"),
}

class TooManyCases(InvalidInput, code="too_many_cases"):
    pass


class NoCase(InvalidInput, code="no_case", message="Choisissez au moins un dossier."):
    pass


class UnknownAct(InvalidInput, code="unknown_act", message="Choisissez un acte à appliquer aux dossiers."):
    pass


class CaseNotFound(PortalError, code="not_found", status=404, message="Dossier introuvable."):
    pass


def clean_refs(refs) -> list[str]:
    """The case refs as given, once each, in order; a malformed one refuses the whole job."""
    cleaned = list(dict.fromkeys(str(ref).strip() for ref in refs if str(ref).strip()))
    if not cleaned:
        raise NoCase()
    if len(cleaned) > MAX_CASES:
        raise TooManyCases(f"Au plus {MAX_CASES} dossiers à la fois : vous en avez choisi {len(cleaned)}. "
                           "Divisez la sélection.", details={"max": MAX_CASES, "given": len(cleaned)})
    malformed = [ref for ref in cleaned if not REF.match(ref)]
    if malformed:
        raise InvalidInput(f"Référence de dossier invalide : {malformed[0][:80]}", code="invalid_case_ref",
                           details={"invalid": malformed[:10]})
    return cleaned


def _clean_params(act: str, *, message: str, label: str, assignee) -> dict:
    need = ACTS[act].param
    if need == "message":
        if not (message or "").strip():
            raise InvalidInput("Un message est obligatoire pour demander des compléments.", code="reason_required")
        return {"message": message.strip()}
    if need == "label":
        if not str(label or "").strip():
            raise InvalidInput("Indiquez l'étiquette.", code="label_required")
        found = _label_of(label)
        if found is None:
            raise InvalidInput("Étiquette inconnue : choisissez-en une de la liste.", code="unknown_label")
        return {"label": found.pk}
    if need == "assignee":
        agent = _agent_of(assignee)
        if agent is None:
            raise InvalidInput("Choisissez l'agent à qui attribuer les dossiers.", code="assignee_required")
        return {"assignee": agent.pk}
    return {}


def _label_of(value):
    """A label by its id or its name (any case)."""
    value = str(value).strip()
    labels = Label.objects.all()
    return (labels.filter(pk=value).first() if value.isdigit() else None) or labels.filter(name__iexact=value).first()


def _agent_of(pk):
    try:
        return get_user_model().objects.filter(pk=pk, is_staff=True, is_active=True).first() if pk else None
    except (ValueError, ValidationError):
        return None


def _job_key(agent, key: str) -> str:
    """The stored key: the client's own, kept apart per agent (two agents may pick the same)."""
    return hashlib.sha256(f"{agent.pk}:{key}".encode()).hexdigest()


def bulk_submit(*, agent, act: str, refs, message: str = "", label: str = "", assignee=None,
                idempotency_key: str = "") -> BulkJob:
    """Record the job and run it: here up to BACKGROUND_OVER cases, else on a worker after commit.
    The same `idempotency_key` twice is the same job, run at most once per case."""
    permissions.require(agent, "backoffice.bulk")
    if act not in ACTS:
        raise UnknownAct()
    cleaned = clean_refs(refs)
    params = _clean_params(act, message=message, label=label, assignee=assignee)
    key = _job_key(agent, (idempotency_key or "").strip()[:200] or uuid.uuid4().hex)
    with transaction.atomic():
        job, created = BulkJob.objects.get_or_create(idempotency_key=key, defaults={
            "agent": agent, "act": act, "refs": cleaned, "params": params,
            "background": len(cleaned) > BACKGROUND_OVER,
        })
        if not created and job.agent_id != agent.pk:  # a hash collision: never another agent's job
            raise InvalidInput("Clé d'idempotence déjà utilisée.", code="idempotency_conflict")
    if job.state == BulkJobState.DONE:
        return job
    if job.background:
        transaction.on_commit(lambda: app.send_task(RUN_TASK, args=[str(job.pk)]))
        return job
    return bulk_run(job.pk)


def bulk_run(job_id) -> BulkJob:
    """Treat every case of the job not marked yet, here; a second run finds them marked and does nothing."""
    job = BulkJob.objects.select_related("agent").get(pk=job_id)
    if job.state == BulkJobState.DONE:
        return job
    _started(job)
    _run_cases(job, range(len(job.refs)))
    BulkJob.objects.filter(pk=job.pk).exclude(state=BulkJobState.DONE).update(
        state=BulkJobState.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def bulk_dispatch(job_id) -> int:
    """A background job on the workers: one message per chunk of CHUNK cases holding a case not
    marked yet; the number of messages sent. A job already done, or whose cases are all marked,
    sends none (and is marked done)."""
    job = BulkJob.objects.get(pk=job_id)
    if job.state == BulkJobState.DONE:
        return 0
    _started(job)
    marked = set(job.cases.order_by().values_list("position", flat=True))
    chunks = [(start, min(start + CHUNK, len(job.refs))) for start in range(0, len(job.refs), CHUNK)]
    chunks = [(start, stop) for start, stop in chunks if not marked.issuperset(range(start, stop))]
    for start, stop in chunks:
        app.send_task(CHUNK_TASK, args=[str(job.pk), start, stop])
    if not chunks:
        _finish_if_complete(job)
    return len(chunks)


def bulk_run_chunk(job_id, start: int, stop: int) -> None:
    """The cases at positions [start, stop) of a job (one worker message); those marked are skipped."""
    job = BulkJob.objects.select_related("agent").get(pk=job_id)
    if job.state == BulkJobState.DONE:
        return
    _run_cases(job, range(max(0, start), min(stop, len(job.refs))))
    _finish_if_complete(job)


def _started(job: BulkJob) -> None:
    BulkJob.objects.filter(pk=job.pk, state=BulkJobState.PENDING).update(state=BulkJobState.RUNNING)


def _run_cases(job: BulkJob, positions: range) -> None:
    marked = set(job.cases.filter(position__gte=positions.start, position__lt=positions.stop).order_by()
                 .values_list("ref", flat=True))
    with batches.batch():
        for position in positions:
            ref = job.refs[position]
            if ref not in marked:
                _run_case(job, position, ref)


def _finish_if_complete(job: BulkJob) -> None:
    """The job is done once every case has its mark, whichever worker wrote the last one."""
    if job.cases.order_by().count() >= len(job.refs):
        BulkJob.objects.filter(pk=job.pk).exclude(state=BulkJobState.DONE).update(
            state=BulkJobState.DONE, finished_at=timezone.now())


def stalled_jobs(*, quiet: timedelta = STALLED_AFTER) -> list:
    """Background jobs not finished and without a case treated for `quiet`: their message was lost."""
    cutoff = timezone.now() - quiet
    return list(BulkJob.objects.filter(background=True, created_at__lt=cutoff).exclude(
        state=BulkJobState.DONE).annotate(last=Max("cases__at")).filter(
        Q(last__isnull=True) | Q(last__lt=cutoff)).values_list("pk", flat=True))


def _claimed(job: BulkJob, position: int, ref: str) -> bool:
    """Insert the case's mark, done, in the current transaction; False if another run holds it (that
    run's transaction is waited for: it committed, or rolled back and this one claims the case)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BulkCase._meta.db_table} (job_id, ref, position, outcome, reason, at) "
            "VALUES (%s, %s, %s, %s, '', %s) ON CONFLICT (job_id, ref) DO NOTHING RETURNING id",
            [job.pk, ref, position, BulkOutcome.DONE, timezone.now()])
        return cursor.fetchone() is not None


def _run_case(job: BulkJob, position: int, ref: str) -> None:
    try:
        with transaction.atomic():
            if _claimed(job, position, ref):
                _act_on(job, ref)
        return
    except PortalError as error:
        reason = _reason(error, ref)
    except IntegrityError:
        # A constraint of the act itself (the claim never raises one); if another run marked the
        # case meanwhile, its mark stands.
        if job.cases.filter(ref=ref).exists():
            return
        logger.exception("bulk job %s: case %s", job.pk, ref)
        reason = "Erreur inattendue : le dossier n'a pas été modifié."
    except Exception:
        logger.exception("bulk job %s: case %s", job.pk, ref)
        reason = "Erreur inattendue : le dossier n'a pas été modifié."
    BulkCase.objects.get_or_create(job=job, ref=ref, defaults={
        "position": position, "outcome": BulkOutcome.SKIPPED, "reason": reason})


def resolve(ref: str, agent):
    """The request a case ref names, among those `agent` may read; CaseNotFound otherwise."""
    key, _, pk = ref.partition(":")
    declared = request_type(key)
    if declared is None:
        raise CaseNotFound()
    requests = permissions.scope(declared.model._default_manager.all(), agent)
    try:
        return declared, requests.get(pk=pk)
    except (declared.model.DoesNotExist, ValueError, ValidationError):
        raise CaseNotFound() from None


def _act_on(job: BulkJob, ref: str) -> None:
    agent, act, params = job.agent, job.act, job.params
    declared, request = resolve(ref, agent)
    if ACTS[act].instruction:
        declared.perform(request, act, actor=agent, reason=params.get("message", ""))
    elif act in ("add_label", "remove_label"):
        # The queue's own services, one case per call: its permission, lock and audit row each.
        change = {"add": [params["label"]]} if act == "add_label" else {"remove": [params["label"]]}
        services.set_labels(agent, [ref], **change)
    else:
        to = _agent_of(params.get("assignee"))
        if to is None:
            raise InvalidInput("L'agent choisi n'est plus actif.", code="assignee_inactive")
        services.assign(agent, [ref], to=to)


def _reason(error: PortalError, ref: str) -> str:
    """The refusal as the case's own page would say it; a lost race says who acted and when."""
    if error.code == StateConflict.code:
        return _conflict_reason(ref) or error.message
    details = error.details if isinstance(error.details, dict) else {}
    unmet = [problem for problem in details.get("unmet", []) if problem != error.message]
    return " ".join([error.message, *unmet])


def _conflict_reason(ref: str) -> str:
    key, _, pk = ref.partition(":")
    declared = request_type(key)
    request = declared.model._default_manager.filter(pk=pk).first() if declared else None
    if request is None:
        return ""
    last = request.audit_trail().order_by("-at", "-pk").first()
    by = ""
    if last is not None:
        who = (last.actor.get_full_name() or last.actor.email) if last.actor else "le portail"
        by = f" ({last.act_label.lower()} par {who} le {timezone.localtime(last.at):%d/%m/%Y à %H:%M})"
    return f"Ce dossier est maintenant « {request.get_state_display()} »{by} : l'acte ne s'y applique pas."


@dataclass
class Report:
    job: BulkJob
    done: int
    skipped: int

    @property
    def total(self) -> int:
        return len(self.job.refs)

    @property
    def treated(self) -> int:
        return self.done + self.skipped

    @property
    def percent(self) -> int:
        return round(100 * self.treated / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.job.state == BulkJobState.DONE

    @property
    def act_label(self) -> str:
        return ACTS[self.job.act].label if self.job.act in ACTS else self.job.act

    @property
    def done_cases(self):
        return [_described(case) for case in self.job.cases.filter(outcome=BulkOutcome.DONE).order_by("position")]

    @property
    def skipped_cases(self):
        return [_described(case) for case in self.job.cases.filter(outcome=BulkOutcome.SKIPPED).order_by("position")]


def _described(case: BulkCase) -> BulkCase:
    """The case as the report names it: « F301 n° 6DB33D79 », a link to its page (no query)."""
    key, _, pk = case.ref.partition(":")
    declared = request_type(key)
    case.label, case.url = case.ref, ""
    if declared is not None:
        name = declared.number or capfirst(declared.model._meta.verbose_name)
        case.label = f"{name} n° {pk.split('-')[0].upper()}"
        try:
            case.url = reverse(declared.detail_url, args=[pk])
        except NoReverseMatch:
            pass
    return case


def report(job: BulkJob) -> Report:
    counts = job.cases.aggregate(done=Count("pk", filter=Q(outcome=BulkOutcome.DONE)),
                                 skipped=Count("pk", filter=Q(outcome=BulkOutcome.SKIPPED)))
    return Report(job, counts["done"], counts["skipped"])


def job_get_for_agent(agent, pk) -> BulkJob:
    """One of the agent's own jobs; 404 for anyone else."""
    from django.http import Http404

    if not permissions.may(agent, "backoffice.bulk"):
        raise Http404
    return get_or_404(BulkJob.objects, message="Acte groupé introuvable.", pk=pk, agent=agent)
