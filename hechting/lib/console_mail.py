"""Mail printed in the terminal, readably: for `make run` and trying things out.

Django's console backend prints the encoded message, and a long line (such as the link that
confirms a new address) comes out quoted-printable, broken over two lines with "=" in it. This
one prints the headers that matter and the text as written, so the link can be clicked.
"""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message) -> None:
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n\n{message.body}\n{'-' * 79}\n"
        )
