from django.apps import AppConfig


class HechtingConfig(AppConfig):
    name = "hechting"
    verbose_name = "Hechting"
