from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from hechting import views
from hechting.accounts import views as account_views

handler400 = "hechting.views.bad_request"

# The admin logs in through allauth, so its rate limits protect the admin too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("leave/", account_views.quick_exit, name="quick_exit"),
    path("account/", views.account, name="account"),
    path("account/security/", include("hechting.accounts.urls")),
    path("account/data/", include("reflect.yourdata.urls")),
    # Before allauth's own: an unconfirmed address never becomes the main one.
    path("accounts/email/", account_views.email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("learn/", include("hechting.learn.urls")),
    path("journal/", include("reflect.urls")),
    path("share/", include("reflect.sharing.urls")),
    path("together/", include("reflect.coparents.urls")),
)
