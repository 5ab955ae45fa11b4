-- Least privilege (issue 28, point 4). identity_owner runs the migrations and owns every object of the schema
-- (roles from k8s/base/postgres/service-roles.sql); identity_app is the role of the service's connection pool.
-- It reads and writes the service's tables but only appends to the audit log: UPDATE, DELETE and TRUNCATE
-- are refused to it by privilege, before the append-only trigger is reached, and only the owner could drop
-- that trigger. It cannot create, alter or drop anything, nor touch another service's schema.
grant usage on schema identity to identity_app;
grant select, insert, update, delete on all tables in schema identity to identity_app;
revoke update, delete, truncate on audit_log from identity_app;
revoke all on flyway_schema_history from identity_app;
-- Tables a later migration adds are the application's too (identity columns need no sequence grant, and
-- without one the application cannot take ids and leave gaps in the audit log); an append-only table
-- revokes like audit_log above.
alter default privileges for role identity_owner in schema identity
    grant select, insert, update, delete on tables to identity_app;
