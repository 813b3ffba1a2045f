"""allauth's account forms in our own words (settings.ACCOUNT_FORMS).

allauth's labels are its own ("Remember Me", "Password (again)", "Current Password") and each
field repeats its label as a placeholder. Here every field has one label, in the words of the
rest of the site, and no placeholder: a placeholder that says the label again is read twice by
screen readers and disappears as soon as a parent starts typing.
"""

from allauth.account import forms as allauth_forms
from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _

EMAIL = _("Email address")
PASSWORD = _("Password")
NEW_PASSWORD = _("New password")
PASSWORD_AGAIN = _("The same password again")


class OurWords:
    """Give the fields of an allauth form our labels (``labels``) and no placeholders."""

    labels: dict = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.labels:
                field.label = self.labels[name]
            field.widget.attrs.pop("placeholder", None)


class LoginForm(OurWords, allauth_forms.LoginForm):
    labels = {
        "login": EMAIL,
        "password": PASSWORD,
        "remember": _("Stay logged in on this device"),
    }


class SignupForm(OurWords, allauth_forms.SignupForm):
    labels = {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD_AGAIN}


class AddEmailForm(OurWords, allauth_forms.AddEmailForm):
    labels = {"email": _("New email address")}


class ChangePasswordForm(OurWords, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": _("Your current password"),
        "password1": NEW_PASSWORD,
        "password2": PASSWORD_AGAIN,
    }


class SetPasswordForm(OurWords, allauth_forms.SetPasswordForm):
    labels = {"password1": PASSWORD, "password2": PASSWORD_AGAIN}


class ResetPasswordKeyForm(OurWords, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": NEW_PASSWORD, "password2": PASSWORD_AGAIN}


class ReauthenticateForm(OurWords, allauth_forms.ReauthenticateForm):
    labels = {"password": _("Your password")}


class ResetPasswordForm(OurWords, allauth_forms.ResetPasswordForm):
    """A reset link goes only to a confirmed address of the account.

    allauth also mails an account's unconfirmed addresses; one added on a phone left unlocked
    would then let its holder take the account over. For any other address the answer looks the
    same (enumeration prevention), and the mail says there is no account for it.
    """

    labels = {"email": EMAIL}

    def clean_email(self) -> str:
        email = super().clean_email()
        confirmed = set(
            EmailAddress.objects.filter(
                user__in=self.users, email__iexact=email, verified=True
            ).values_list("user_id", flat=True)
        )
        self.users = [user for user in self.users if user.pk in confirmed]
        return email
