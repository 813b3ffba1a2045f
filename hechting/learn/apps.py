from django.apps import AppConfig


class LearnConfig(AppConfig):
    """The psychoeducation pages about secure attachment (public, in Dutch and English)."""

    name = "hechting.learn"
    label = "learn"
    verbose_name = "Learn"
