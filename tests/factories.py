from datetime import timedelta

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from contracts.models import Structure, StructureKind
from esms_portal.core.identifiers import finess_with_check_digit
from esms_portal.models import User

TEST_PIN = "4826"


def _now():
    return timezone.now()


def test_finess(n: int) -> str:
    """A FINESS in the ANS test series (0B...), with a valid key: never a real structure's number."""
    return finess_with_check_digit(f"0B{n:06d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Prénom"
    last_name = "Nom"
    password = factory.django.Password("correct horse battery staple")


class StructureFactory(factory.django.DjangoModelFactory):
    """An EG by default (give `legal_entity`); the `ej` trait makes an EJ that is its own tenant."""

    class Meta:
        model = Structure

    class Params:
        ej = factory.Trait(kind=StructureKind.EJ, legal_entity=None)

    kind = StructureKind.EG
    finess = factory.Sequence(lambda n: test_finess(n + 1))
    name = factory.Sequence(lambda n: f"Structure {n}")
    departement = "75"
    region = "11"
    category_code = "500"
    category_label = "Etablissement d'hébergement pour personnes âgées dépendantes"
    legal_entity = factory.SubFactory("tests.factories.StructureFactory", ej=True)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("kind") == StructureKind.EJ and kwargs.get("legal_entity") is None:
            instance = model_class(*args, **kwargs)
            instance.legal_entity = instance  # an EJ is its own tenant
            instance.save()
            return instance
        return super()._create(model_class, *args, **kwargs)


def complete_contract_data(**overrides) -> dict:
    data = {
        "representative_last_name": "Martin",
        "representative_first_names": "Alice Marie",
        "representative_email": "alice@alpha.example",
        "representative_phone": "0102030405",
        "capacity": "director",
    }
    data.update(overrides)
    return data


class CardFactory(factory.django.DjangoModelFactory):
    """A CPx card in a given state, made directly (no chip); traits per state. Reach a state through
    the services when the path matters (tests/cards)."""

    class Meta:
        model = "cards.Card"

    class Params:
        delivered = factory.Trait(state="delivered", delivered_at=factory.LazyFunction(_now))
        active = factory.Trait(
            state="active",
            delivered_at=factory.LazyFunction(_now),
            activated_at=factory.LazyFunction(_now),
            valid_from=factory.LazyFunction(_now),
            expires_at=factory.LazyFunction(lambda: _now() + timedelta(days=3 * 365)),
            pin_hash=factory.LazyFunction(lambda: make_password(TEST_PIN)),
        )
        opposed = factory.Trait(state="opposed", ended_at=factory.LazyFunction(_now), opposition_reason="Départ")

    family = "CPE"
    holder = factory.SubFactory(UserFactory)
    holder_last_name = factory.LazyAttribute(lambda o: o.holder.last_name or "Nom")
    holder_first_names = factory.LazyAttribute(lambda o: o.holder.first_name or "Prénom")
    title = "Agent d'accueil"
    organisation = factory.SubFactory(StructureFactory, ej=True)
    national_id = factory.Sequence(lambda n: f"30B0000000/CPET{n:05d}")
    ordered_through = "F301"
    delivery_address = "1 rue de la Paix, 75002 Paris"
