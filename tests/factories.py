import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

PASSWORD = "a calm evening walk"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"parent{n}@example.org")
    password = factory.django.Password(PASSWORD)
    is_active = True

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """Give the user a primary, verified allauth email address, as after signing up."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"primary": True, "verified": True}
        )


# --- The journal (reflect) ----------------------------------------------------------------------


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reflect.Child"

    owner = factory.SubFactory(UserFactory)
    nickname = factory.Iterator(["Noor", "Sem", "Lotte", "Daan", "Mila"])
    birth_year = 2021
    birth_month = 5


class MomentFactory(factory.django.DjangoModelFactory):
    """A moment of connection; ``mismatch=True``, ``repaired=True`` or ``repair_not_needed=True``
    give a mismatch that is open, repaired, or needs no repair."""

    class Meta:
        model = "reflect.Moment"

    class Params:
        mismatch = factory.Trait(kind="mismatch", repair_status="open")
        repaired = factory.Trait(
            kind="mismatch",
            repair_status="repaired",
            repaired_on=factory.SelfAttribute("date"),
            repair_how="We sat together on the stairs and I said sorry for shouting.",
        )
        repair_not_needed = factory.Trait(kind="mismatch", repair_status="not_needed")

    owner = factory.SubFactory(UserFactory)
    child = None
    date = factory.LazyFunction(timezone.localdate)
    what_happened = factory.Sequence(lambda n: f"We read the bear book together, evening {n}.")
    kind = "connection"
    safe = True
    seen = False
    soothed = False
    secure = False


class RepairFactory(MomentFactory):
    """A mismatch that has been repaired (the repair lives on its mismatch)."""

    kind = "mismatch"
    repair_status = "repaired"
    repaired_on = factory.SelfAttribute("date")
    repair_how = "We sat together on the stairs and I said sorry for shouting."
