from django.core.management import call_command

from contracts.models import Contract, ContractState, Structure, StructureKind
from esms_portal.models import RoleGrant


def test_the_demo_loads_twice_into_one_organisation_with_three_sites_and_a_waiting_contract(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    main = Structure.objects.get(finess="0B1000013")
    assert main.members.filter(kind=StructureKind.EG).count() == 3
    assert RoleGrant.objects.filter(organisation=main, user__email="representant@demo.esms.example").exists()
    assert list(Contract.objects.values_list("state", flat=True)) == [ContractState.SUBMITTED]
    output = capsys.readouterr().out
    assert "agent@demo.ans.example" in output and "created 0" in output
