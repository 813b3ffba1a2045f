from django.urls import path

from . import views

app_name = "reflect"

urlpatterns = [
    path("", views.journal, name="journal"),
    path("new/", views.moment_add, name="moment_add"),
    path("look-back/", views.look_back, name="look_back"),
]
