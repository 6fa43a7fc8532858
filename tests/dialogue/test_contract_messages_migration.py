"""The contract's own messages move into the dialogue's conversation (contracts 0005): nothing lost,
each with its author, side, text and date; back again on a reverse migration."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("contracts", "0005_fhir_indexes"), ("esms_portal", "0011_dialogue_messages")]
AFTER = [("contracts", "0006_messages_to_dialogue")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_message_of_a_contract_moves_with_its_date_and_side():
    apps = _migrate(BEFORE)
    try:
        Structure, User = apps.get_model("contracts", "Structure"), apps.get_model("esms_portal", "User")
        Contract, Old = apps.get_model("contracts", "Contract"), apps.get_model("contracts", "ContractMessage")
        ej = Structure(name="Association Alpha", kind="EJ", siret="73282932000074")
        ej.legal_entity_id = ej.pk
        ej.save()
        alice = User.objects.create(email="alice@alpha.example", password="!")
        ana = User.objects.create(email="ana@esante.example", password="!", is_staff=True)
        contract = Contract.objects.create(organisation=ej, contracting_structure=ej, created_by=alice,
                                           state="completion_requested")
        sent = timezone.now() - timedelta(days=3)
        for n, (author, from_agent) in enumerate([(ana, True), (alice, False)]):
            row = Old.objects.create(contract=contract, author=author, from_agent=from_agent, body=f"Message {n}")
            Old.objects.filter(pk=row.pk).update(sent_at=sent + timedelta(hours=n))
        apps = _migrate(AFTER)
        Message = apps.get_model("esms_portal", "Message")
        moved = list(Message.objects.order_by("created_at").values_list(
            "request_type", "request_pk", "organisation_id", "author_id", "from_agent", "body", "created_at"))
        assert moved == [
            ("contrats", str(contract.pk), ej.pk, ana.pk, True, "Message 0", sent),
            ("contrats", str(contract.pk), ej.pk, alice.pk, False, "Message 1", sent + timedelta(hours=1)),
        ]
        assert not Message.objects.filter(read_at__isnull=True).exists()  # nobody is told old news
        apps = _migrate(BEFORE)
        assert list(apps.get_model("contracts", "ContractMessage").objects.order_by("sent_at")
                    .values_list("body", flat=True)) == ["Message 0", "Message 1"]
    finally:
        _migrate([("contracts", "0006_messages_to_dialogue")] + _leaves())


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
