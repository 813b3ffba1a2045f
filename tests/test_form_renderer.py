"""The site's form renderer (hechting/form_renderer.py) writes exactly what Django's widget
templates write, on every form of the site, and is the one renderer every form shares."""

import pytest
from allauth.account.forms import ChangePasswordForm, LoginForm, ResetPasswordForm, SignupForm
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import override

from hechting.form_renderer import FastWidgets
from reflect.forms import ChildForm, JournalFilterForm, MomentForm, RepairForm
from reflect.sharing.forms import (
    CounsellorProfileForm,
    InvitationAnswerForm,
    InvitationForm,
    LastDayForm,
    ShareLinkForm,
)
from reflect.yourdata.forms import DeleteAccountForm, ImportForm
from tests.factories import ChildFactory, MomentFactory

pytestmark = pytest.mark.django_db

TRICKY = "<b>\"Bedtime\"</b> & 'tears'\nsecond line"


class Recording(FastWidgets):
    """The fast renderer, remembering every template it answered without the engine."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def render(self, template_name, context, request=None):
        self.calls.append((template_name, context))
        return super().render(template_name, context, request=request)


def html_of(form):
    """Everything the journal templates render from a form: widgets, options and errors."""
    parts = []
    for field in form:
        parts.append(str(field))
        parts.append(str(field.errors))
        parts.extend(str(choice.tag()) for choice in field.subwidgets)
    parts.append(str(form.non_field_errors()))
    return parts


def forms_to_compare(parent):
    children = [ChildFactory(owner=parent, nickname='<Noor & "Sam">'), ChildFactory(owner=parent)]
    moment = MomentFactory(owner=parent, mismatch=True, what_happened=TRICKY)
    bad = {
        "what_happened": "",
        "four_s": ["safe", "nope"],
        "kind": "mismatch",
        "date": "2999-01-01",
        "part_of_day": "evening",
        "child": str(children[0].pk),
        "felt": TRICKY,
        "repair_how": mark_safe("<i>safe</i>"),
        "repaired_on": "not a date",
    }
    good = {"what_happened": TRICKY, "four_s": ["seen"], "kind": "connection"}
    yield MomentForm(owner=parent)
    yield MomentForm(owner=parent, children=children, initial={"four_s": ["safe"]})
    yield MomentForm(instance=moment, owner=parent)
    for data in (bad, good):
        form = MomentForm(data, owner=parent, children=children)
        form.is_valid()
        yield form
    yield JournalFilterForm({}, children=children)
    filters = JournalFilterForm(
        {"q": TRICKY, "s": "soothed", "child": "x", "show": "open"}, children=children
    )
    filters.is_valid()
    yield filters
    yield RepairForm(instance=moment)
    repair = RepairForm({"repair_status": "repaired", "repaired_on": "x"}, instance=moment)
    repair.is_valid()
    yield repair
    yield ChildForm()
    child = ChildForm({"nickname": "", "birth_year": "1800", "birth_month": TRICKY})
    child.is_valid()
    yield child
    yield ShareLinkForm(owner=parent)
    share = ShareLinkForm({"scope": "nope", "valid_until": "x"}, owner=parent)
    share.is_valid()
    yield share
    yield InvitationForm()
    yield LastDayForm({"valid_until": "not a date"})
    yield CounsellorProfileForm({"name": TRICKY, "website": "not an address"})
    yield InvitationAnswerForm(counsellor_name=TRICKY)
    yield ImportForm()
    yield DeleteAccountForm(user=parent)
    login = LoginForm({"login": TRICKY, "password": ""})
    login.is_valid()
    yield login
    signup = SignupForm({"email": "not an address", "password1": "short"})
    signup.is_valid()
    yield signup
    yield ResetPasswordForm()
    yield ChangePasswordForm(user=parent)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_fast_widgets_write_what_djangos_templates_write(parent, language):
    with override(language):
        for form in forms_to_compare(parent):
            fast = Recording()
            form.renderer = fast
            for error_list in form.errors.values():
                error_list.renderer = fast
            rendered_fast = html_of(form)
            form.renderer = DjangoTemplates()
            for error_list in form.errors.values():
                error_list.renderer = form.renderer
            assert rendered_fast == html_of(form)
            assert fast.calls, "the fast renderer was not used"


def test_the_journal_page_renders_its_forms_without_the_template_engine(parent):
    class Counting(FastWidgets):
        used = []

        def get_template(self, template_name):
            Counting.used.append(template_name)
            return super().get_template(template_name)

    form = MomentForm(owner=parent, children=[ChildFactory(owner=parent)])
    filters = JournalFilterForm({}, children=[])
    form.renderer = filters.renderer = Counting()
    # What journal.html and its partials render: text boxes and dates whole, radio buttons one
    # by one, the (empty) error lists, and the filters' search box and menus.
    for name in ("what_happened", "date", "felt", "child_needed", "what_helped", "repaired_on"):
        str(form[name])
    for name in ("kind", "part_of_day", "repair_status"):
        [str(choice.tag()) for choice in form[name]]
    [str(field.errors) for field in form]
    [str(filters[name]) for name in ("show", "s", "child")]
    assert Counting.used == []


def test_every_form_shares_the_one_renderer_of_the_settings(parent):
    renderers = {id(form.renderer) for form in forms_to_compare(parent)}
    assert len(renderers) == 1
    assert isinstance(MomentForm(owner=parent).renderer, FastWidgets)
