import pytest

from cards import services


def instruct_and_accept(form, agent):
    services.form_act(actor=agent, form=form, act="start_instruction")
    return services.form_accept(actor=agent, form=form)


def staff_line(**overrides) -> dict:
    line = {
        "last_name": "Bernard", "first_names": "Lucie", "email": "lucie@alpha.example",
        "title": "Infirmière coordinatrice", "delivery_address": "3 rue des Lilas, 75011 Paris",
        "establishments": [], "make_mandataire": False,
    }
    line.update(overrides)
    return line


@pytest.fixture
def f301_accepted(accepted, alice, alice_card, alpha, ana):
    """An F301 for Lucie, accepted: her CPE is ordered."""
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    return instruct_and_accept(order, ana)
