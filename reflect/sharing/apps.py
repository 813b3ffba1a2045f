from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "reflect.sharing"
    label = "sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the log-in handler)
        from .tokens import install_log_redaction

        install_log_redaction()
