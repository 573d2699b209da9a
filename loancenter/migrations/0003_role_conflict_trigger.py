"""A database trigger that refuses conflicting role groups for one user.

The m2m_changed signal and the admin form refuse them with a clear message; this trigger also
catches bulk inserts and raw SQL, which send no signal. Frozen copy of roles.CONFLICTING_ROLES.
"""

from django.db import migrations

REGISTRAR = "mortgage_registrar"
EXCLUSIVE_OF_REGISTRAR = ("reviewer", "approver", "disbursement_supervisor")
MESSAGE = "separation of duties: mortgage_registrar may not also be reviewer, approver or disbursement_supervisor"


def _in_list(names):
    return ", ".join(f"'{name}'" for name in names)


def _clash_condition(new_name_sql, held_name_sql):
    others = _in_list(EXCLUSIVE_OF_REGISTRAR)
    return (
        f"(({new_name_sql} = '{REGISTRAR}' AND {held_name_sql} IN ({others})) OR "
        f"({held_name_sql} = '{REGISTRAR}' AND {new_name_sql} IN ({others})))"
    )


POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION loancenter_refuse_conflicting_roles() RETURNS trigger AS $$
DECLARE
    new_name text;
BEGIN
    -- serialise concurrent group changes of the same user
    PERFORM 1 FROM loancenter_user WHERE id = NEW.user_id FOR UPDATE;
    SELECT name INTO new_name FROM auth_group WHERE id = NEW.group_id;
    IF EXISTS (
        SELECT 1 FROM loancenter_user_groups ug JOIN auth_group g ON g.id = ug.group_id
        WHERE ug.user_id = NEW.user_id AND ug.id IS DISTINCT FROM NEW.id
          AND {_clash_condition("new_name", "g.name")}
    ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER loancenter_refuse_conflicting_roles
    BEFORE INSERT OR UPDATE ON loancenter_user_groups
    FOR EACH ROW EXECUTE FUNCTION loancenter_refuse_conflicting_roles();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS loancenter_refuse_conflicting_roles ON loancenter_user_groups;
DROP FUNCTION IF EXISTS loancenter_refuse_conflicting_roles();
"""

SQLITE_UP = [
    f"""
CREATE TRIGGER loancenter_refuse_conflicting_roles_{event.lower()}
BEFORE {event} ON loancenter_user_groups
WHEN EXISTS (
    SELECT 1 FROM loancenter_user_groups ug
    JOIN auth_group g ON g.id = ug.group_id
    JOIN auth_group n ON n.id = NEW.group_id
    WHERE ug.user_id = NEW.user_id AND ug.id IS NOT NEW.id
      AND {_clash_condition("n.name", "g.name")}
)
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
    for event in ("INSERT", "UPDATE")
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS loancenter_refuse_conflicting_roles_{event};"
    for event in ("insert", "update")
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("loancenter", "0002_role_groups")]

    operations = [migrations.RunPython(install, uninstall)]
