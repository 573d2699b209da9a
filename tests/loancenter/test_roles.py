import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.transaction import atomic
from django.utils import translation

from loancenter import audit, roles
from loancenter.admin import StaffChangeForm
from loancenter.errors import SeparationOfDutiesError

CHINESE_LABELS = {
    "loan_officer": "客户经理 / 营销岗",
    "investigator": "调查岗",
    "reviewer": "审查岗",
    "approver": "审批岗",
    "director": "中心主任",
    "head_office": "上级审批",
    "mortgage_registrar": "抵押办证岗",
    "disbursement_supervisor": "放款监督岗",
    "archivist": "档案管理岗",
    "collections_officer": "综合岗 / 催收",
    "auditor": "稽核",
}
REGISTRAR_CONFLICTS = ["reviewer", "approver", "disbursement_supervisor"]


@pytest.mark.django_db
def test_every_role_group_exists_with_its_chinese_label():
    assert set(Group.objects.values_list("name", flat=True)) >= set(CHINESE_LABELS)
    assert set(roles.ROLE_CODES) == set(CHINESE_LABELS)
    with translation.override("zh-hans"):
        for code, label in CHINESE_LABELS.items():
            assert roles.role_label(code) == label


@pytest.mark.django_db
def test_the_auditor_can_view_every_model_and_change_none():
    auditor = Group.objects.get(name="auditor")
    codenames = set(auditor.permissions.values_list("codename", flat=True))
    assert "view_auditevent" in codenames and "view_user" in codenames
    assert not {c for c in codenames if not c.startswith("view_")}


@pytest.mark.parametrize("other", REGISTRAR_CONFLICTS)
def test_it_refuses_a_registrar_joining_a_conflicting_role_in_code(make_user, other):
    user = make_user("reg", "mortgage_registrar")
    with pytest.raises(SeparationOfDutiesError, match="岗位分离|Separation of duties"), atomic():
        user.groups.add(Group.objects.get(name=other))
    assert set(user.groups.values_list("name", flat=True)) == {"mortgage_registrar"}


@pytest.mark.parametrize("other", REGISTRAR_CONFLICTS)
def test_it_refuses_a_conflicting_role_added_from_the_group_side(make_user, other):
    user = make_user("rev", other)
    with pytest.raises(SeparationOfDutiesError), atomic():
        Group.objects.get(name="mortgage_registrar").user_set.add(user)


def test_it_refuses_setting_both_roles_at_once(make_user):
    user = make_user("both")
    with pytest.raises(SeparationOfDutiesError), atomic():
        user.groups.set(Group.objects.filter(name__in=["mortgage_registrar", "approver"]))
    assert not user.groups.exists()


def test_it_allows_roles_that_do_not_conflict(make_user):
    user = make_user("multi", "reviewer", "approver", "auditor")
    assert roles.user_role_codes(user) == {"reviewer", "approver", "auditor"}


@pytest.mark.parametrize("other", REGISTRAR_CONFLICTS)
def test_the_database_refuses_a_bulk_insert_of_conflicting_roles(make_user, other):
    user = make_user("bulk", "mortgage_registrar")
    through = type(user).groups.through
    with pytest.raises(IntegrityError, match="separation of duties"), atomic():
        through.objects.bulk_create([through(user=user, group=Group.objects.get(name=other))])
    assert set(user.groups.values_list("name", flat=True)) == {"mortgage_registrar"}


def test_the_admin_form_refuses_conflicting_roles_with_a_message(make_user):
    user = make_user("adm", "mortgage_registrar")
    groups = Group.objects.filter(name__in=["mortgage_registrar", "reviewer"])
    data = {
        "username": user.username,
        "groups": [g.pk for g in groups],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "is_active": "on",
    }
    with translation.override("zh-hans"):
        form = StaffChangeForm(data=data, instance=user)
        assert not form.is_valid()
        assert "不得同时担任抵押办证岗和审查岗" in str(form.errors["groups"])


def test_conflicting_pairs_are_named_for_any_role_set():
    pairs = roles.conflicting_role_pairs(
        ["mortgage_registrar", "approver", "reviewer", "loan_officer"]
    )
    assert pairs == [("approver", "mortgage_registrar"), ("mortgage_registrar", "reviewer")]


# --- per object ---------------------------------------------------------------------------

CONFLICTING_DUTY_PAIRS = [
    ("investigation", "review"),
    ("investigation", "approval"),
    ("investigation", "disbursement"),
    ("review", "approval"),
    ("review", "disbursement"),
    ("review", "registration"),
    ("approval", "disbursement"),
    ("approval", "registration"),
    ("registration", "disbursement"),
]


def _act(obj, user, duty):
    with transaction.atomic():
        roles.assert_separate_duties(obj=obj, user=user, duty=duty)
        audit.record(actor=user, action=f"do_{duty}", obj=obj, duty=duty)


@pytest.mark.parametrize("first,second", CONFLICTING_DUTY_PAIRS)
def test_one_person_may_not_take_two_conflicting_duties_on_one_object(make_user, first, second):
    person = make_user("p")
    target = make_user("target-object")  # any model instance will do as the object
    _act(target, person, first)
    with translation.override("zh-hans"), pytest.raises(SeparationOfDutiesError) as refused:
        roles.assert_separate_duties(obj=target, user=person, duty=second)
    assert "审贷分离" in refused.value.message
    # and the other way round
    other_target = make_user("target-2")
    _act(other_target, person, second)
    with pytest.raises(SeparationOfDutiesError):
        roles.assert_separate_duties(obj=other_target, user=person, duty=first)


def test_different_people_may_take_the_duties_and_duties_do_not_leak_across_objects(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    first, second = make_user("obj-1"), make_user("obj-2")
    _act(first, alice, "investigation")
    roles.assert_separate_duties(obj=first, user=bob, duty="approval")
    roles.assert_separate_duties(obj=second, user=alice, duty="approval")
    roles.assert_separate_duties(obj=first, user=alice, duty="investigation")


def test_an_unknown_duty_is_a_programming_error(make_user):
    with pytest.raises(ValueError):
        roles.assert_separate_duties(obj=make_user("o"), user=make_user("u"), duty="coffee")
