from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.models import EmailAddress


class ResetPasswordForm(AllauthResetPasswordForm):
    """A reset link goes only to a confirmed address of the account.

    allauth also mails an account's unconfirmed addresses; one added on a phone left unlocked
    would then let its holder take the account over. For any other address the answer looks the
    same (enumeration prevention), and the mail says there is no account for it.
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        confirmed = set(
            EmailAddress.objects.filter(
                user__in=self.users, email__iexact=email, verified=True
            ).values_list("user_id", flat=True)
        )
        self.users = [user for user in self.users if user.pk in confirmed]
        return email
