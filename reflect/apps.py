from django.apps import AppConfig


class ReflectConfig(AppConfig):
    name = "reflect"
    verbose_name = "Journal"

    def ready(self) -> None:
        from hechting.middleware import signed_out_request

        from . import checks, drafts, unsent

        checks.validate_keys()
        # Words that reach a form or the draft address just after the session ended are kept.
        signed_out_request.connect(drafts.keep_late_when_signed_out, dispatch_uid="drafts")
        signed_out_request.connect(unsent.keep_when_signed_out, dispatch_uid="unsent")
