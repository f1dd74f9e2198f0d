"""factory_boy factories for the organisation and the deputies registry, which other
modules' tests build on. A module adds the factories only its own tests use beside them
(``tests/liaison_stations/factories.py``)."""

import factory
from factory.django import DjangoModelFactory

from deputies.models import Deputy, Level, Mandate
from liaison_stations.models import StationMembership
from organisation.models import Region, Unit, User
from organisation.roles import Role


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试乡{n}")
    level = Region.Level.TOWNSHIP
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.code}/")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:8])
    kind = Unit.Kind.GOVERNMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.django.Password("portal-demo")
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)


class DeputyFactory(DjangoModelFactory):
    class Meta:
        model = Deputy
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = "f"
    phone = factory.Sequence(lambda n: f"138{n:04d}5678")
    region = None

    @factory.post_generation
    def home_station(self, create, station, **kwargs):
        """``DeputyFactory(home_station=station)``: attached to it, as their home station
        (the membership belongs to liaison_stations)."""
        if create and station is not None:
            StationMembership.objects.create(deputy=self, station=station, is_home=True)


class MandateFactory(DjangoModelFactory):
    class Meta:
        model = Mandate

    deputy = factory.SubFactory(DeputyFactory)
    level = Level.TOWNSHIP
    congress = "黄茅园镇第七届人民代表大会"
    region = factory.LazyAttribute(lambda o: o.deputy.region)
