"""The four S's (Siegel & Payne Bryson, 2020): the shared vocabulary of the learn pages and the
journal. The journal stores the ``key``; the learn pages and the moment form show the rest.

Keep the names in English (as the source does) with the Dutch word beside them (ux-brief).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class S:
    key: str
    name: str  # the English name, used in both languages
    local_name: Promise  # "veilig" in Dutch, "safe" in English
    hint: Promise  # one line, shown beside the chip in the moment form
    questions: tuple[Promise, ...]  # gentle reflection questions (end of the S page, prompts)
    page_slug: str  # the learn page about this S


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
    ),
)

BY_KEY = {s.key: s for s in FOUR_S}
KEYS = tuple(BY_KEY)
