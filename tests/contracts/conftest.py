import pytest

from contracts import contract_services as services
from tests.factories import complete_contract_data


@pytest.fixture
def draft(alpha, alice):
    return services.contract_start(actor=alice, structure=alpha)


@pytest.fixture
def submitted(draft, alice):
    services.contract_update(actor=alice, contract_pk=draft.pk, data=complete_contract_data(), cgu_accepted=True)
    return services.contract_submit(actor=alice, contract_pk=draft.pk)


@pytest.fixture
def in_instruction(submitted, ana):
    return services.contract_start_instruction(actor=ana, contract_pk=submitted.pk)
