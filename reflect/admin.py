"""The journal in the admin: counts only.

A parent's moments and children are private. Staff can see how many there are (to watch the size
of an installation), never what they say: there is no list of rows, no detail page, no add, change
or delete here. A parent removes their own data in the app.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path

from .models import Child, Moment


class CountsOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [path("", self.admin_site.admin_view(self.changelist_view), name=name)]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        counts = self.model._default_manager.aggregate(
            total=Count("pk"), owners=Count("owner", distinct=True)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.opts.verbose_name_plural.capitalize(),
            "total": counts["total"],
            "owners": counts["owners"],
        }
        return TemplateResponse(request, "admin/reflect/counts.html", context)


@admin.register(Moment)
class MomentAdmin(CountsOnlyAdmin):
    pass


@admin.register(Child)
class ChildAdmin(CountsOnlyAdmin):
    pass
