"""factory_boy factories for the partners app: municipalities, neighbourhoods, partners, users, their
memberships, agreements and routing rules; and ``Api``, an API client with a fresh token of a user's."""

from functools import lru_cache

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from rest_framework.test import APIClient

from partners.models import Agreement, Membership, Municipality, Neighbourhood, Partner, RoutingRule
from partners.services import api_token_create


@lru_cache(maxsize=16)
def _hashed(raw_password):
    return make_password(raw_password)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = "0505"
    name = "Dordrecht"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ["code"]

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.LazyAttribute(lambda o: f"BU{o.municipality.code}0101")
    name = "Binnenstad"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"corporatie-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = Partner.Kind.CORPORATION


class SocialServiceFactory(PartnerFactory):
    slug = factory.Sequence(lambda n: f"sociale-dienst-{n}")
    kind = Partner.Kind.SOCIAL_SERVICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Hashed once per distinct password (tests use the fast MD5 hasher, see tests/conftest.py).
    password = factory.django.Password("correct horse battery staple", transform=_hashed)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = "caseworker"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    corporation = factory.SubFactory(PartnerFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    social_service = factory.SubFactory(SocialServiceFactory)


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    agreement = factory.SubFactory(AgreementFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Regel {n}")


class Api(APIClient):
    """An API client authenticated with a fresh token for ``user`` (optionally scoped to ``partner``)."""

    def __init__(self, user=None, partner=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        if user is not None:
            self.token, self.raw = api_token_create(user=user, partner=partner)
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {self.raw}")
