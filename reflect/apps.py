from django.apps import AppConfig


class ReflectConfig(AppConfig):
    name = "reflect"
    verbose_name = "Journal"

    def ready(self) -> None:
        from . import checks

        checks.validate_keys()
