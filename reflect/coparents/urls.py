from django.urls import path

from . import views

app_name = "coparents"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<uuid:public_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    # The token address (public): swapped for a session grant, then left behind
    path("i/<str:token>/", views.invitation_open, name="invitation_open"),
    path("invitation/<uuid:public_id>/", views.invitation_answer, name="invitation_answer"),
    path("<uuid:public_id>/default/", views.link_default, name="link_default"),
    path("<uuid:public_id>/end/", views.link_end, name="link_end"),
    path("<uuid:public_id>/forget/", views.link_forget, name="link_forget"),
    path("moments/<int:pk>/", views.shared_moment, name="shared_moment"),
    path("notes/<int:pk>/hide/", views.note_hide, name="note_hide"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
]
