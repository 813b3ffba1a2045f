"""Sharing in the admin: who is a counsellor, and how many links exist. No tokens or digests,
no journal words, no notes: staff can see that sharing happens, not what is shared.

The one thing staff change: whether a counsellor's name and practice were checked (two
actions). Only a checked profile is shown to invited parents as checked."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import CounsellorProfile, Invitation, ShareLink


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CounsellorProfile)
class CounsellorProfileAdmin(ReadOnlyAdmin):
    list_display = ["name", "practice", "website", "created", "checked_at"]
    list_filter = [("checked_at", admin.EmptyFieldListFilter)]
    fields = ["name", "practice", "website", "created", "checked_at"]
    readonly_fields = fields
    search_fields = ["name", "practice"]
    actions = ["mark_checked", "mark_unchecked"]

    def has_check_permission(self, request: HttpRequest) -> bool:
        # The profile itself stays read-only; checking it needs the right to change it.
        return request.user.has_perm("sharing.change_counsellorprofile")

    @admin.action(description=_("Mark as checked (name and practice)"), permissions=["check"])
    def mark_checked(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(checked_at__isnull=True).update(checked_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d counsellor marked as checked.",
                "%(count)d counsellors marked as checked.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark as not checked"), permissions=["check"])
    def mark_unchecked(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.exclude(checked_at__isnull=True).update(checked_at=None)
        self.message_user(
            request,
            ngettext(
                "%(count)d counsellor marked as not checked.",
                "%(count)d counsellors marked as not checked.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "created", "valid_until", "revoked_at", "use_count"]
    fields = ["created", "valid_until", "revoked_at", "use_count"]
    readonly_fields = fields


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyAdmin):
    list_display = ["pk", "created", "scope", "valid_until", "revoked_at"]
    list_filter = ["scope"]
    fields = ["created", "scope", "period_kind", "valid_until", "revoked_at"]
    readonly_fields = fields
