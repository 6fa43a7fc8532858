"""The contract's messages move into the conversation every instructed request has
(esms_portal.dialogue, the kernel's Message): same author, side, text and date, read (they had no
read marks); then the contract's own table goes."""

from django.db import migrations

CONTRACT_KEY = "contrats"  # contracts.portal.AdhesionContract.key


def forward(apps, schema_editor):
    ContractMessage = apps.get_model("contracts", "ContractMessage")
    Message = apps.get_model("esms_portal", "Message")
    old = ContractMessage.objects.select_related("contract").order_by("sent_at", "pk")
    batch = [Message(request_type=CONTRACT_KEY, request_pk=str(row.contract_id),
                     organisation_id=row.contract.organisation_id, author_id=row.author_id, from_agent=row.from_agent,
                     kind="message", body=row.body, read_at=row.sent_at)
             for row in old.iterator(chunk_size=2000)]
    created = Message.objects.bulk_create(batch, batch_size=2000)
    # auto_now_add wrote the migration's time: each message keeps its own date.
    for message, row in zip(created, old, strict=True):
        message.created_at = row.sent_at
    Message.objects.bulk_update(created, ["created_at"], batch_size=2000)


def backward(apps, schema_editor):
    ContractMessage = apps.get_model("contracts", "ContractMessage")
    Message = apps.get_model("esms_portal", "Message")
    for message in Message.objects.filter(request_type=CONTRACT_KEY, kind="message").order_by("created_at", "pk"):
        row = ContractMessage.objects.create(contract_id=int(message.request_pk), author_id=message.author_id,
                                             from_agent=message.from_agent, body=message.body)
        ContractMessage.objects.filter(pk=row.pk).update(sent_at=message.created_at)
    Message.objects.filter(request_type=CONTRACT_KEY).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contracts", "0005_fhir_indexes"),
        ("esms_portal", "0011_dialogue_messages"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ContractMessage"),
    ]
