from django.apps import AppConfig


class YourDataConfig(AppConfig):
    """Your data is yours: export and import of the journal, and deleting the account."""

    name = "reflect.yourdata"
    label = "yourdata"
    verbose_name = "Your data"
