-- Least privilege (issue 28, point 4). mud_owner runs the migrations and owns every object of the schema
-- (roles from k8s/base/postgres/service-roles.sql); mud_app is the role of the service's connection pool.
-- It reads and writes the service's tables but only appends to the audit log: UPDATE, DELETE and TRUNCATE
-- are refused to it by privilege, before the append-only trigger is reached, and only the owner could drop
-- that trigger. It cannot create, alter or drop anything, nor touch another service's schema.
grant usage on schema mud to mud_app;
grant select, insert, update, delete on all tables in schema mud to mud_app;
revoke update, delete, truncate on audit_log from mud_app;
-- A MUD file version is never changed either (mud_file_append_only).
revoke update, delete, truncate on mud_file from mud_app;
revoke all on flyway_schema_history from mud_app;
-- Tables a later migration adds are the application's too (identity columns need no sequence grant, and
-- without one the application cannot take ids and leave gaps in the audit log); an append-only table
-- revokes like audit_log above.
alter default privileges for role mud_owner in schema mud
    grant select, insert, update, delete on tables to mud_app;
