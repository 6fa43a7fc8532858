from contracts import services
from tests.factories import complete_contract_data

URL = "/api/v1/contracts/"


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def withdrawn_contracts(alpha, alice, count):
    for _ in range(count):
        contract = services.contract_start(actor=alice, structure=alpha)
        services.contract_withdraw(actor=alice, contract_pk=contract.pk)


def test_a_member_lists_the_contracts_of_his_organisation_only(api, bob, draft, charlie, beta):
    services.contract_start(actor=charlie, structure=beta)
    response = api(bob).get(URL)
    assert response.status_code == 200
    assert ids(response) == [draft.pk]


def test_an_item_summarises_the_contract(api, alice, alpha, submitted):
    (item,) = api(alice).get(URL).json()["results"]
    assert item["state"] == "submitted" and item["state_label"] == "Déposé"
    assert item["organisation"]["name"] == "Association Alpha"
    assert item["contracting_structure"]["finess"] == alpha.finess
    assert item["submitted_at"] and item["instruction_days"] == 0 and item["timeliness"] == "on_time"
    assert "representative_email" not in item and "proof_file" not in item


def test_an_ans_agent_lists_every_organisations_contracts(api, ana, draft, charlie, beta):
    theirs = services.contract_start(actor=charlie, structure=beta)
    assert sorted(ids(api(ana).get(URL))) == sorted([draft.pk, theirs.pk])


def test_an_outsider_sees_no_contract(api, charlie, draft):
    response = api(charlie).get(URL)
    assert response.status_code == 200 and len(response.json()["results"]) == 0


def test_filter_by_state(api, ana, alpha, alice, submitted, charlie, beta):
    draft_of_beta = services.contract_start(actor=charlie, structure=beta)
    assert ids(api(ana).get(URL, {"state": "submitted"})) == [submitted.pk]
    assert ids(api(ana).get(URL, {"state": "draft"})) == [draft_of_beta.pk]


def test_an_unknown_state_filter_is_a_400(api, alice):
    response = api(alice).get(URL, {"state": "lost"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_filter"


def test_the_list_is_paginated_most_recent_first(api, alice, alpha):
    withdrawn_contracts(alpha, alice, 4)
    first = api(alice).get(URL, {"page_size": 3}).json()
    assert len(first["results"]) == 3 and "cursor=" in first["next"] and first["previous"] is None
    last = api(alice).get(first["next"]).json()
    assert len(last["results"]) == 1 and last["next"] is None and "cursor=" in last["previous"]
    every = [item["id"] for item in first["results"] + last["results"]]
    assert every == sorted(every, reverse=True)


def test_without_a_token_the_answer_is_401(api, draft):
    response = api().get(URL)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_the_list_costs_the_same_queries_whatever_the_number_of_contracts(api, alice, alpha, django_assert_num_queries):
    client = api(alice)
    withdrawn_contracts(alpha, alice, 1)
    with django_assert_num_queries(2):  # token, page (no count)
        client.get(URL)
    withdrawn_contracts(alpha, alice, 10)
    live = services.contract_start(actor=alice, structure=alpha)
    services.contract_update(actor=alice, contract_pk=live.pk, data=complete_contract_data(), cgu_accepted=True)
    services.contract_submit(actor=alice, contract_pk=live.pk)
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 12
