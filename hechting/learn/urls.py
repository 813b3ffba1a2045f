from django.urls import path

from . import views

app_name = "learn"

urlpatterns = [
    path("", views.index, name="index"),
    path("help/", views.help_page, name="help"),
    path("<slug:slug>/", views.page, name="page"),
]
