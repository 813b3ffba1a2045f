from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    # The parent's share links
    path("", views.links, name="links"),
    path("links/<uuid:public_id>/created/", views.link_created, name="link_created"),
    path("links/<uuid:public_id>/revoke/", views.link_revoke, name="link_revoke"),
    # Token addresses (public): swapped for a session grant, then redirected without the token
    path("t/<str:token>/", views.link_open, name="link_open"),
    path("i/<str:token>/", views.invitation_open, name="invitation_open"),
    # What a share link shows (read-only), and a counsellor's welcome
    path("view/<uuid:public_id>/", views.link_view, name="link_view"),
    path("invitation/<uuid:public_id>/", views.invitation_welcome, name="invitation_welcome"),
    path(
        "invitation/<uuid:public_id>/answer/",
        views.invitation_answer,
        name="invitation_answer",
    ),
    # Counsellors
    path("counsellors/", views.counsellors, name="counsellors"),
    path("counsellor/", views.counsellor_profile, name="counsellor_profile"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("invitations/new/", views.invitation_new, name="invitation_new"),
    path(
        "invitations/<uuid:public_id>/created/",
        views.invitation_created,
        name="invitation_created",
    ),
    path(
        "invitations/<uuid:public_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "invitations/<uuid:public_id>/last-day/",
        views.invitation_last_day,
        name="invitation_last_day",
    ),
]
