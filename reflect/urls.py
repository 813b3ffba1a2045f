from django.urls import include, path

from . import views

app_name = "reflect"

urlpatterns = [
    path("", views.journal, name="journal"),
    path("new/", views.moment_add, name="moment_add"),
    path("moments/<int:pk>/", views.moment_detail, name="moment_detail"),
    path("moments/<int:pk>/edit/", views.moment_edit, name="moment_edit"),
    path("moments/<int:pk>/repair/", views.moment_repair, name="moment_repair"),
    path("moments/<int:pk>/delete/", views.moment_delete, name="moment_delete"),
    path("drafts/<str:form>/", views.draft, name="draft"),
    path("children/", views.children, name="children"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/delete/", views.child_delete, name="child_delete"),
    # The look back: reflect/look_back.py has its own urlpatterns (look_back, look_back_period,
    # look_back_print), included without a namespace of its own so they stay "reflect:...".
    path("look-back/", include("reflect.look_back")),
]
