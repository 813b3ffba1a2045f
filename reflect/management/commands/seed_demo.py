"""Fill the database with a demo parent and a realistic year of journal moments.

    python manage.py seed_demo                       # one demo parent, Dutch, one year
    python manage.py seed_demo --language en
    python manage.py seed_demo --parents 3 --years 5 --per-day 3   # for benchmarks

Runs only with DEBUG on (a demo account on a real installation would be a hole), unless --force.
Running it again replaces the demo parents' journals; other accounts are never touched.
"""

from __future__ import annotations

import datetime
import random
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from hechting.learn.four_s import KEYS
from reflect.models import Child, Moment

TEXT = {
    "nl": {
        "children": [("Noor", 4, 3), ("Sem", 1, 8)],  # nickname, age in years, months
        "connection": [
            "We lazen samen het berenboek en ze kroop dicht tegen me aan.",
            "Hij liet trots zijn tekening zien en ik ging ervoor zitten.",
            "Na het vallen op de stoep huilde ze even in mijn armen, daarna ging ze weer spelen.",
            "Samen boodschappen gedaan; hij mocht de appels kiezen.",
            "Bij het slapengaan vertelde ze over een ruzie op school. Ik luisterde alleen.",
            "We dansten in de keuken op een liedje van de radio.",
            "Hij was bang voor de hond in het park en hield mijn hand vast tot we voorbij waren.",
            "Ze vroeg of ik bleef zitten tot ze sliep. Dat deed ik.",
        ],
        "mismatch": [
            "Ik was gehaast bij het aankleden en snauwde. Hij begon te huilen.",
            "Ik zat op mijn telefoon toen ze iets wilde laten zien en reageerde niet.",
            "Boos geworden om de rommel, harder dan nodig.",
            "Bij het naar bed gaan wilde hij nog een verhaal; ik zei kortaf nee.",
            "Ik begreep niet waarom ze zo boos was en stuurde haar naar haar kamer.",
        ],
        "felt": [
            "moe",
            "trots",
            "opgelucht",
            "geïrriteerd en daarna verdrietig",
            "warm",
            "onrustig",
        ],
        "needed": [
            "nabijheid",
            "dat ik even stopte",
            "troost",
            "gezien worden",
            "rust",
            "voorspelbaarheid",
        ],
        "helped": [
            "op ooghoogte gaan zitten",
            "een knuffel",
            "samen ademhalen",
            "zingen",
            "even wachten",
            "benoemen wat ik zag",
        ],
        "repair": [
            "Later zei ik sorry en vroeg ik hoe het voor hem was.",
            "We gingen samen op de trap zitten en ik legde uit dat ik moe was, niet boos op haar.",
            "Bij het ontbijt hebben we het er rustig over gehad en samen gelachen.",
            "Ik kwam terug, ging naast haar zitten en zei dat ik het jammer vond.",
        ],
    },
    "en": {
        "children": [("Nora", 4, 3), ("Sam", 1, 8)],
        "connection": [
            "We read the bear book together and she snuggled up close.",
            "He proudly showed his drawing and I sat down to really look.",
            "After falling on the pavement she cried in my arms for a bit, then went back to play.",
            "We did the shopping together; he got to choose the apples.",
            "At bedtime she told me about a quarrel at school. I just listened.",
            "We danced in the kitchen to a song on the radio.",
            "He was scared of the dog in the park and held my hand until we were past it.",
            "She asked me to stay until she fell asleep. I did.",
        ],
        "mismatch": [
            "I was rushing him to get dressed and snapped. He started to cry.",
            "I was on my phone when she wanted to show me something and I did not respond.",
            "I got angry about the mess, louder than I needed to.",
            "At bedtime he wanted one more story; I said no, curtly.",
            "I did not understand why she was so upset and sent her to her room.",
        ],
        "felt": ["tired", "proud", "relieved", "irritated, then sad", "warm", "restless"],
        "needed": [
            "closeness",
            "for me to stop for a moment",
            "comfort",
            "to be seen",
            "calm",
            "to know what comes next",
        ],
        "helped": [
            "sitting down at eye level",
            "a hug",
            "breathing together",
            "singing",
            "waiting a little",
            "naming what I saw",
        ],
        "repair": [
            "Later I said sorry and asked how it had been for him.",
            "We sat on the stairs together and I explained I was tired, not angry with her.",
            "At breakfast we talked about it calmly and laughed together.",
            "I came back, sat beside her and said I was sorry it went that way.",
        ],
    },
}


class Command(BaseCommand):
    help = "Create demo parents with a realistic journal (DEBUG only, unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", choices=sorted(TEXT), default="nl")
        parser.add_argument("--parents", type=int, default=1, help="How many demo parents.")
        parser.add_argument("--years", type=int, default=1, help="How many years of moments.")
        parser.add_argument(
            "--per-day",
            type=int,
            default=0,
            help="Moments on every day (for benchmarks). Default: a realistic, uneven journal.",
        )
        parser.add_argument("--seed", type=int, default=2024, help="Random seed (repeatable).")
        parser.add_argument("--password", default="", help="Password (default: a random one).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with known passwords, so it only runs with DEBUG on. "
                "Use --force if you really mean to run it here."
            )
        for name in ("parents", "years"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["per_day"] < 0:
            raise CommandError("--per-day cannot be negative.")
        rng = random.Random(options["seed"])  # noqa: S311 (demo text, not secrets)
        text = TEXT[options["language"]]
        password = options["password"] or secrets.token_urlsafe(12)
        today = timezone.localdate()
        for number in range(1, options["parents"] + 1):
            email = "demo@example.org" if number == 1 else f"demo{number}@example.org"
            with transaction.atomic():
                parent = self._parent(email, password)
                children = self._children(parent, text, today)
                count = self._moments(
                    parent, children, text, rng, today, options["years"], options["per_day"]
                )
            self.stdout.write(f"{email}: {len(children)} children, {count} moments")
        self.stdout.write(
            self.style.SUCCESS(f"Log in as demo@example.org with password: {password}")
        )

    def _parent(self, email: str, password: str):
        user, _ = get_user_model().objects.get_or_create(email=email)
        user.set_password(password)
        user.display_name = "Demo"
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"primary": True, "verified": True}
        )
        Moment.objects.filter(owner=user).delete()
        Child.objects.filter(owner=user).delete()
        return user

    def _children(self, parent, text: dict, today: datetime.date) -> list[Child]:
        children = []
        for nickname, years, months in text["children"]:
            total = today.year * 12 + today.month - 1 - (years * 12 + months)
            children.append(
                Child.objects.create(
                    owner=parent,
                    nickname=nickname,
                    birth_year=total // 12,
                    birth_month=total % 12 + 1,
                )
            )
        return children

    def _moments(self, parent, children, text, rng, today, years, per_day) -> int:
        days = 365 * years
        batch: list[Moment] = []
        count = 0
        for back in range(days):
            day = today - datetime.timedelta(days=back)
            # Realistic: most days nothing or one moment, some days two.
            n = per_day if per_day else rng.choices([0, 1, 2], weights=[5, 4, 1])[0]
            for _ in range(n):
                batch.append(self._moment(parent, children, text, rng, day, today))
            if len(batch) >= 2000:
                count += len(Moment.objects.bulk_create(batch))
                batch = []
        count += len(Moment.objects.bulk_create(batch))
        return count

    def _moment(self, parent, children, text, rng, day, today) -> Moment:
        mismatch = rng.random() < 0.25
        chosen = rng.sample(KEYS, rng.choice([1, 1, 2, 3]))
        born = [child for child in children if child.first_day is None or child.first_day <= day]
        moment = Moment(
            owner=parent,
            child=rng.choice([*born, None]),
            date=day,
            part_of_day=rng.choice([*Moment.PartOfDay.values, ""]),
            kind=Moment.Kind.MISMATCH if mismatch else Moment.Kind.CONNECTION,
            what_happened=rng.choice(text["mismatch" if mismatch else "connection"]),
            felt=rng.choice(["", *text["felt"]]),
            child_needed=rng.choice(["", *text["needed"]]),
            what_helped=rng.choice(["", "", *text["helped"]]),
            **{key: key in chosen for key in KEYS},
        )
        if mismatch:
            roll = rng.random()
            if roll < 0.6:
                moment.repair_status = Moment.RepairStatus.REPAIRED
                moment.repaired_on = min(
                    day + datetime.timedelta(days=rng.choice([0, 0, 1, 2])), today
                )
                moment.repair_how = rng.choice(text["repair"])
            elif roll < 0.7:
                moment.repair_status = Moment.RepairStatus.NOT_NEEDED
            else:
                moment.repair_status = Moment.RepairStatus.OPEN
        return moment
