"""Sharing in the admin: who is a counsellor, and how many links exist. No tokens or digests,
no journal words, no notes: staff can see that sharing happens, not what is shared."""

from django.contrib import admin
from django.http import HttpRequest

from .models import CounsellorProfile, Invitation, ShareLink


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CounsellorProfile)
class CounsellorProfileAdmin(ReadOnlyAdmin):
    list_display = ["name", "practice", "website", "created"]
    fields = ["name", "practice", "website", "created"]
    readonly_fields = fields
    search_fields = ["name", "practice"]


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
