from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoParentsConfig(AppConfig):
    """Two parents, one child: a journal kept together, shared moment by moment."""

    name = "reflect.coparents"
    label = "coparents"
    verbose_name = _("Co-parents")
