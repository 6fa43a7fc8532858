from django.urls import reverse

from cards import services
from tests.cards.conftest import staff_line

URL = reverse("cards:forms")


def test_the_organisation_sees_its_forms_and_test_orders(client, alice, bob, alpha, alice_card, beta, charlie):
    f301 = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    services.f414_order(actor=bob, organisation=alpha, family="CPE", quantity=1, delivery_address="1 rue du Test")
    client.force_login(bob)
    page = client.get(URL).content.decode()
    assert reverse("cards:f301_detail", args=[f301.pk]) in page and "1 × CPE" in page


def test_an_outsider_gets_404_for_another_organisation(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(URL, {"organisation": alpha.pk}).status_code == 404


def test_the_list_costs_a_constant_number_of_queries(client, alice, alpha, alice_card, settings,
                                                     django_assert_num_queries):
    services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    client.force_login(alice)
    client.get(URL)
    session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1  # none when read from Redis
    with django_assert_num_queries(8 + session) as counted:  # with the header's notification counts
        client.get(URL)
    for n in range(3):
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(email=f"staff{n}@alpha.example")])
    with django_assert_num_queries(len(counted.captured_queries)):
        client.get(URL)
