import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from contracts import services
from esms_portal.models import AuditEntry, Role, RoleGrant, User
from tests.factories import UserFactory


@pytest.fixture
def root(db):
    return UserFactory(email="root@esante.example", is_staff=True, is_superuser=True)


@pytest.fixture
def audit_entry(alpha, alice):
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(RoleGrant),
        object_id="1",
        act="submit",
        actor=alice,
        from_state="draft",
        to_state="submitted",
    )


@pytest.mark.parametrize(
    "model",
    [
        "contracts/structure",
        "contracts/anomalyreport",
        "esms_portal/user",
        "esms_portal/rolegrant",
        "esms_portal/auditentry",
    ],
)
def test_a_superuser_browses_and_searches_every_registered_model(client, root, alpha, audit_entry, model):
    client.force_login(root)
    url = f"/admin/{model}/"
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "alpha"}).status_code == 200


def test_structures_are_searched_by_finess_and_filtered_by_kind(client, root, alpha, beta):
    client.force_login(root)
    page = client.get("/admin/contracts/structure/", {"q": alpha.finess}).content.decode()
    assert "Association Alpha" in page and "Fondation Beta" not in page
    page = client.get("/admin/contracts/structure/", {"kind__exact": "EJ"}).content.decode()
    assert "Association Alpha" in page and "EHPAD Les Tilleuls" not in page


def test_an_ans_agent_reads_structures_but_cannot_change_them(client, ana, alpha):
    client.force_login(ana)
    assert "Structures" in client.get(reverse("admin:index")).content.decode()
    url = reverse("admin:contracts_structure_change", args=[alpha.pk])
    page = client.get(url).content.decode()
    assert "Association Alpha" in page and 'name="_save"' not in page
    client.post(url, {"name": "Piratée"})
    alpha.refresh_from_db()
    assert alpha.name == "Association Alpha"
    assert client.get(reverse("admin:contracts_structure_add")).status_code == 403


def test_an_anomaly_report_is_only_consulted_in_the_admin(client, root, alice, alpha):
    report = services.anomaly_report(actor=alice, structure=alpha, field="phone", description="Périmé")
    client.force_login(root)
    page = client.get(reverse("admin:contracts_anomalyreport_changelist")).content.decode()
    assert "Téléphone" in page
    assert client.get(reverse("admin:contracts_anomalyreport_add")).status_code == 403
    assert client.get(reverse("admin:contracts_anomalyreport_delete", args=[report.pk])).status_code == 403


def test_the_audit_trail_cannot_be_added_changed_or_deleted(client, root, audit_entry):
    client.force_login(root)
    assert client.get(reverse("admin:esms_portal_auditentry_add")).status_code == 403
    change = reverse("admin:esms_portal_auditentry_change", args=[audit_entry.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.get(reverse("admin:esms_portal_auditentry_delete", args=[audit_entry.pk])).status_code == 403
    assert AuditEntry.objects.count() == 1


def test_a_superuser_creates_an_account_by_email(client, root):
    client.force_login(root)
    response = client.post(
        reverse("admin:esms_portal_user_add"),
        {
            "email": "Nouvel.Agent@Esante.example",
            "usable_password": "true",
            "password1": "un mot de passe solide 2026",
            "password2": "un mot de passe solide 2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvel.agent@esante.example")
    assert user.check_password("un mot de passe solide 2026")


def test_an_email_already_used_is_refused(client, root, alice):
    client.force_login(root)
    response = client.post(
        reverse("admin:esms_portal_user_add"),
        {
            "email": "ALICE@alpha.example",
            "usable_password": "true",
            "password1": "un mot de passe solide 2026",
            "password2": "un mot de passe solide 2026",
        },
    )
    assert "Un compte existe déjà avec cette adresse électronique." in response.content.decode()


def test_the_user_page_shows_the_roles_held(client, root, alice, alpha):
    client.force_login(root)
    page = client.get(reverse("admin:esms_portal_user_change", args=[alice.pk])).content.decode()
    assert "Représentant légal" in page and "alice@alpha.example" in page


def test_a_grant_made_in_the_admin_records_who_made_it(client, root, alpha):
    member = UserFactory(email="membre@alpha.example")
    client.force_login(root)
    response = client.post(
        reverse("admin:esms_portal_rolegrant_add"),
        {"user": member.pk, "role": Role.MANDATAIRE, "organisation": alpha.pk},
    )
    assert response.status_code == 302
    assert RoleGrant.objects.get(user=member).granted_by == root


def test_a_member_cannot_enter_the_admin(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin:index")).status_code == 302
