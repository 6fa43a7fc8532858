"""The back office's demo (`manage.py load_demo`, after the apps' demo data; idempotent): every filed
request indexed, a second agent, labels, an assignment and a private note, chosen by stage (no type
named), so that an agent can try the queue at once."""

from esms_portal.backoffice import services
from esms_portal.backoffice.cases import backfill
from esms_portal.models import Case, Label, Stage, User

SECOND_AGENT = ("agent2@demo.ans.example", "Inès", "Morel")


def load_demo_cases(stdout, *, agent: User, password: str) -> None:
    indexed = backfill()
    email, first, last = SECOND_AGENT
    colleague, created = User.objects.get_or_create(email=email, defaults={
        "first_name": first, "last_name": last, "is_staff": True})
    if created:
        colleague.set_password(password)
        colleague.save(update_fields=["password"])
    labels = {label.name: label for label in Label.objects.all()}
    waiting = list(Case.objects.filter(stage=Stage.WAITING).order_by("filed_at", "id")[:2])
    completion = Case.objects.filter(stage=Stage.COMPLETION).first()
    if waiting and "À examiner" in labels:
        services.set_labels(agent, [waiting[0].ref], add=[labels["À examiner"]])
        if not waiting[0].notes.exists():
            services.case_annotate(actor=agent, ref=waiting[0].ref, body="Pièce d'identité du représentant à vérifier.")
    if len(waiting) > 1 and waiting[1].assignee_id is None:
        services.assign(agent, [waiting[1].ref], to=colleague)
    if completion is not None and "À relancer" in labels:
        services.set_labels(agent, [completion.ref], add=[labels["À relancer"]])
    stdout.write(f"Back-office : {indexed} dossier(s) indexé(s) ; deuxième agent {email} ({first} {last}).")
