from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hechting.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import (
            signals,  # noqa: F401  (connects the security log)
            user_sessions,  # noqa: F401  (keeps no address in allauth's sessions)
        )
