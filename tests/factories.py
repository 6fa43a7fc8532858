import factory

from contracts.models import Structure, StructureKind
from esms_portal.identifiers import finess_with_check_digit
from esms_portal.models import User


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
