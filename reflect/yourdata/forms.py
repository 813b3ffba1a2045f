from django import forms
from django.utils.translation import gettext_lazy as _

from . import portability


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Journal file (.json)"),
        help_text=_("A file you downloaded from Hechting with “Download my journal”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            if problem := portability.too_large(upload.size):
                raise problem
            self.journal = portability.read_file(upload.read())
        except portability.ImportProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you, and not someone who found your phone unlocked."),
    )

    def __init__(self, *args, user, allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.allowed = allowed

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.allowed:
            raise forms.ValidationError(_("Too many tries. Wait a minute and try again."))
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password. Try again."))
        return password
