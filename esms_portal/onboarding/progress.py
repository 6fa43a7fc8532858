"""The dashboard's progress rows (OnboardingProgress): one per EJ, the date it passed each milestone.

A row is `base_query` for one EJ: the providers' own dated answers (`done_at_querysets`), the
rows the live dashboard joins, so there is no second definition of a step here. It is written:
- after every act of the EJ: workflow.perform_act and record_creation, and the changes that are
  not transitions (role grants, the services declaration, the structure itself, see `connect`)
  call `mark`, which writes an OnboardingChange in the act's transaction and refreshes the EJ
  once it commits;
- before the dashboard reads (`repair`): EJs still marked (a refresh that failed; a test
  transaction, which never commits);
- by the periodic sweep (`sweep`, tasks.py): marked EJs, EJs without a row or changed since (the
  FINESS import writes in bulk), then rows older than MAX_AGE, for what moves with time alone (a
  certificate expiring) or is written in bulk without signals (RPPS+ import);
- by `manage.py refresh_onboarding`: every EJ (after a deploy or a bulk load).
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from esms_portal.core import batches, page_cache
from esms_portal.models import OnboardingChange, OnboardingProgress, RoleGrant, ServiceDeclaration
from esms_portal.onboarding.milestones import MILESTONES
from esms_portal.onboarding.rows import base_query, column, current_case
from esms_portal.workflow.events import act_performed, acts_performed

MAX_AGE = timedelta(hours=6)
CHUNK = 500  # EJs per statement: ten providers' querysets of 500 ids stay far below parameter limits
SWEEP_LIMIT = 5000  # EJs per sweep
REPAIR_LIMIT = 2000  # EJs the dashboard recomputes before reading; the sweep does the rest


def mark(organisation_id) -> None:
    """The EJ `organisation_id` changed in the current transaction: refresh its row after commit, or,
    in a run of acts (core.batches: a bulk job's chunk), with the other EJs of the run at its end."""
    if organisation_id is None:
        return
    OnboardingChange.objects.create(organisation_id=organisation_id)
    page_cache.invalidate(organisations=[organisation_id])  # its members' cached pages, after commit
    if batches.defer(refresh_changed, organisation_id):
        return  # an act rolled back meanwhile left no change row: refresh_changed skips its EJ
    # After commit rather than inside the act: the refresh then reads what the act and its own
    # after-commit effects (cards ordered on acceptance) wrote; it never holds the progress row's
    # lock inside an act (two acts of one EJ would wait on each other, or deadlock); and a refresh
    # that fails cannot undo the act (robust: logged). The change row stays until a refresh
    # succeeds, so the dashboard and the sweep still recompute that EJ.
    transaction.on_commit(lambda: refresh_changed([organisation_id]), robust=True)


def mark_changed(instance) -> None:
    """Mark the EJ an object belongs to (its model's `tenant_field`), when it has one."""
    if getattr(instance, "tenant_field", None):
        from esms_portal.core.permissions import tenant_of

        try:
            organisation_id = tenant_of(instance)
        except AttributeError:  # an empty relation on the way to the EJ: no tenant to mark
            return
        mark(organisation_id)


def refresh_changed(organisations) -> int:
    """Refresh those of `organisations` still marked (an earlier callback may have done them)."""
    marked = set(OnboardingChange.objects.filter(organisation_id__in=organisations).values_list(
        "organisation_id", flat=True))
    return refresh(marked) if marked else 0


def refresh(organisations=None, *, skip_locked: bool = False) -> int:
    """Recompute the rows of `organisations` (EJ ids), or of every EJ when None; rows written.

    `skip_locked` leaves out the rows another refresh holds (it is writing them)."""
    if organisations is None:
        return _refresh_chunk(None, skip_locked=skip_locked)
    ids = sorted(set(organisations), key=str)
    return sum(_refresh_chunk(ids[start:start + CHUNK], skip_locked=skip_locked)
               for start in range(0, len(ids), CHUNK))


def _refresh_chunk(ids: list | None, *, skip_locked: bool) -> int:
    with transaction.atomic():
        # Lock the rows first, in one order: under READ COMMITTED the statement below then reads
        # everything committed before the lock was granted, so a refresh never writes an older
        # view of an EJ over a newer one.
        rows = OnboardingProgress.objects.select_for_update(skip_locked=skip_locked).order_by("pk")
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        locked = set(rows.values_list("pk", flat=True))
        if skip_locked and ids is not None:
            existing = set(OnboardingProgress.objects.filter(pk__in=ids).values_list("pk", flat=True))
            ids = [pk for pk in ids if pk in locked or pk not in existing]
            if not ids:
                return 0
        # The changes read now are older than what the statement reads: deleting them loses nothing.
        changes = OnboardingChange.objects.all() if ids is None else OnboardingChange.objects.filter(
            organisation_id__in=ids)
        seen = list(changes.values_list("pk", flat=True))
        written = _upsert(ids)
        for start in range(0, len(seen), CHUNK):
            OnboardingChange.objects.filter(pk__in=seen[start:start + CHUNK]).delete()
    return written


def _upsert(ids: list | None) -> int:
    sql, params = base_query(organisations=ids)
    step, since = current_case()
    columns = ["organisation_id", "region", "departement", "created_at", *(f"{m.key}_at" for m in MILESTONES),
               "step", "since", "refreshed_at"]
    values = ["%s", "id", "region", "departement", "created_at", *(column(m) for m in MILESTONES), step, since]
    values.append(values.pop(0))  # refreshed_at last, its placeholder first among the parameters below
    statement = (
        f"INSERT INTO {OnboardingProgress._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM ({sql}) AS b WHERE TRUE ON CONFLICT (organisation_id) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[1:])
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [connection.ops.adapt_datetimefield_value(timezone.now()), *params])
        return cursor.rowcount


def _missing(limit: int) -> list:
    """EJs without a progress row, or changed since it was computed: the FINESS import writes
    structures in bulk, without signals (their `updated_at` tells)."""
    structure = apps.get_model(settings.PORTAL_STRUCTURE_MODEL)
    current = OnboardingProgress.objects.filter(pk=OuterRef("pk"), refreshed_at__gte=OuterRef("updated_at"))
    return list(structure.objects.filter(pk=F("legal_entity_id")).filter(~Exists(current)).order_by().values_list(
        "pk", flat=True)[:limit])


def repair(limit: int = REPAIR_LIMIT) -> int:
    """Recompute the EJs still marked, up to `limit` (one index scan when there are none)."""
    marked = set(OnboardingChange.objects.order_by().values_list("organisation_id", flat=True).distinct()[:limit])
    return refresh(marked, skip_locked=True) if marked else 0


def sweep(*, limit: int = SWEEP_LIMIT, max_age: timedelta = MAX_AGE) -> int:
    """The periodic safety net: marked and missing EJs, then the oldest rows past `max_age`.

    Missing EJs are looked for here, not before each dashboard reading: the anti-join over every
    structure costs about 70 ms over 40,000 EJs and their sites."""
    written = repair(limit)
    missing = _missing(limit - written) if written < limit else []
    written += refresh(missing, skip_locked=True) if missing else 0
    if written >= limit:
        return written
    stale = OnboardingProgress.objects.filter(refreshed_at__lt=timezone.now() - max_age).order_by(
        "refreshed_at").values_list("pk", flat=True)[:limit - written]
    return written + refresh(list(stale), skip_locked=True)


def _grant_changed(sender, instance, **kwargs):
    mark(instance.organisation_id)


def _declaration_saved(sender, instance, **kwargs):
    mark(instance.organisation_id)


def _structure_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures loading
        mark(instance.legal_entity_id or instance.pk)


def _act_performed(sender, request, **kwargs) -> None:
    mark_changed(request)  # the EJ's dashboard row, refreshed after commit


def _acts_performed(sender, requests, **kwargs) -> None:
    """Requests created together (a bulk order): each of their EJs marked once."""
    if getattr(sender, "tenant_field", None):
        from esms_portal.core.permissions import tenant_of

        for organisation_id in dict.fromkeys(tenant_of(request) for request in requests):
            mark(organisation_id)


def connect() -> None:
    """The changes of an EJ that are not request acts (KernelConfig.ready): role grants (mandataires,
    gestionnaires RPPS+, technical administrators, the legal representative whose card counts),
    the services declaration (R-RPP-2 settles the RPPS+ steps), the structure (FINESS, region)."""
    act_performed.connect(_act_performed, dispatch_uid="onboarding-act-performed")
    acts_performed.connect(_acts_performed, dispatch_uid="onboarding-acts-performed")
    post_save.connect(_grant_changed, sender=RoleGrant, dispatch_uid="onboarding-grant-saved")
    post_delete.connect(_grant_changed, sender=RoleGrant, dispatch_uid="onboarding-grant-deleted")
    post_save.connect(_declaration_saved, sender=ServiceDeclaration, dispatch_uid="onboarding-declaration-saved")
    post_save.connect(_structure_saved, sender=settings.PORTAL_STRUCTURE_MODEL, dispatch_uid="onboarding-structure")
