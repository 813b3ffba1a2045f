from django.urls import path

from . import views

app_name = "yourdata"

urlpatterns = [
    path("", views.your_data, name="index"),
    path("journal.json", views.export_json, name="export_json"),
    path("print/", views.export_print, name="export_print"),
    path("import/", views.import_file, name="import"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
