"""The four S's (Siegel & Payne Bryson, 2020): the shared vocabulary of the learn pages and the
journal. The journal stores the ``key``; the learn pages and the moment form show the rest.

Keep the names in English (as the source does) with the Dutch word beside them (ux-brief).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hechting.learn import ages
from hechting.learn.ages import AgeBand, ordered


@dataclass(frozen=True)
class S:
    key: str
    name: str  # the English name, used in both languages
    local_name: Promise  # "veilig" in Dutch, "safe" in English
    hint: Promise  # one line, shown beside the chip in the moment form
    questions: tuple[Promise, ...]  # gentle reflection questions (end of the S page, prompts)
    page_slug: str  # the learn page about this S
    # One prompt per age band (hechting/learn/ages.py), in the journal: (band key, question).
    age_questions: tuple[tuple[str, Promise], ...] = ()

    def questions_by_age(self, first: Iterable[str] = ()) -> tuple[tuple[AgeBand, Promise], ...]:
        """The age prompts, the bands in ``first`` (a parent's children) before the others."""
        texts = dict(self.age_questions)
        return tuple((band, texts[band.key]) for band in ordered(first) if band.key in texts)

    @property
    def other_name(self) -> str:
        """The local word shown beside the English name ("veilig" beside "Safe"), or "" where it
        is the same word (English): the one place for that rule, in every template and chart."""
        local = str(self.local_name)
        return "" if local.lower() == self.name.lower() else local

    @property
    def age_prompts(self) -> tuple[tuple[AgeBand, Promise], ...]:
        """The age prompts in the order they are kept (see :func:`for_bands`)."""
        return tuple((ages.BY_KEY[key], question) for key, question in self.age_questions)


FOUR_S: tuple[S, ...] = (
    S(
        key="safe",
        name="Safe",
        local_name=_("safe"),
        hint=_("Your child felt safe with you, in body and in feelings."),
        questions=(
            _("When did your child seem to feel safe with you today?"),
            _("Did the connection break at some point? What helped you find each other again?"),
        ),
        page_slug="safe",
        age_questions=(
            ("baby", _("When did your baby relax in your arms today?")),
            ("toddler", _("When did your toddler run back to you today, and what did you do?")),
            ("school", _("What helped your child tell you about something that scared them?")),
            ("teen", _("When did your teenager come to you today, even for a moment?")),
        ),
    ),
    S(
        key="seen",
        name="Seen",
        local_name=_("seen"),
        hint=_("You looked behind the behaviour and noticed what your child felt or needed."),
        questions=(
            _("What might your child have felt or needed behind the behaviour you saw?"),
            _("How did you let your child know that you noticed?"),
        ),
        page_slug="seen",
        age_questions=(
            ("baby", _("What did your baby show you today with their face or sounds?")),
            ("toddler", _("What might your toddler have needed behind a “no” or a tantrum?")),
            ("school", _("What did your child want you to notice about their day?")),
            ("teen", _("What mattered to your teenager today, even if it seemed small to you?")),
        ),
    ),
    S(
        key="soothed",
        name="Soothed",
        local_name=_("soothed"),
        hint=_("You helped your child calm down and come to rest."),
        questions=(
            _("What helped your child calm down today?"),
            _("What helped you stay calm yourself?"),
        ),
        page_slug="soothed",
        age_questions=(
            ("baby", _("What calmed your baby today: rocking, your voice, or being held?")),
            ("toddler", _("What helped your toddler calm down after big feelings?")),
            ("school", _("How did you stay with your child while they were upset?")),
            (
                "teen",
                _("How did you keep your teenager company in a hard moment, without fixing it?"),
            ),
        ),
    ),
    S(
        key="secure",
        name="Secure",
        local_name=_("secure"),
        hint=_("Trust that grows when safe, seen and soothed happen again and again."),
        questions=(
            _("Where did you notice your child's trust or courage today?"),
            _("What small, repeated moment of care are you glad about?"),
        ),
        page_slug="secure",
        age_questions=(
            ("baby", _("When did your baby look around, and then look back at you?")),
            ("toddler", _("When did your toddler explore a little and come back to you?")),
            ("school", _("Where did your child try something new, knowing you were there?")),
            ("teen", _("Where did your teenager go their own way and still stay in touch?")),
        ),
    ),
)

BY_KEY = {s.key: s for s in FOUR_S}
KEYS = tuple(BY_KEY)


def for_bands(first: Iterable[str] = ()) -> tuple[S, ...]:
    """The four S's with their age prompts reordered: the bands in ``first`` (a parent's
    children, hechting/learn/ages.py) before the others."""
    return tuple(
        replace(s, age_questions=tuple((b.key, q) for b, q in s.questions_by_age(first)))
        for s in FOUR_S
    )
