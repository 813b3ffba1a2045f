from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("session/", views.session_status, name="session_status"),
    path("still-here/", views.still_here, name="still_here"),
    path("discreet/", views.discreet_mode, name="discreet"),
]
