-- The PostgreSQL roles of one SIM Anchor service (issue 28, point 4: least privilege). Run once per service
-- as a superuser, connected to the platform's database, with the placeholders replaced:
--   @SCHEMA@          the service's schema: identity, attestation, mud or token
--   @DATABASE@        the platform's database (simanchor)
--   @OWNER_PASSWORD@  password of @SCHEMA@_owner, who owns the schema and runs the migrations (Flyway)
--   @APP_PASSWORD@    password of @SCHEMA@_app, the role the service's connection pool uses
-- ./platform applies it when it creates the cluster; the tests' EmbeddedPostgresServer applies the same file.
-- What the application role may do within its schema is granted by the service's own migration
-- (V<n>__least_privilege.sql): read and write its tables, only append to its audit log.

REVOKE ALL ON DATABASE @DATABASE@ FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE ROLE @SCHEMA@_owner LOGIN PASSWORD '@OWNER_PASSWORD@';
CREATE ROLE @SCHEMA@_app LOGIN PASSWORD '@APP_PASSWORD@';
GRANT CONNECT ON DATABASE @DATABASE@ TO @SCHEMA@_owner, @SCHEMA@_app;
CREATE SCHEMA @SCHEMA@ AUTHORIZATION @SCHEMA@_owner;
-- Nobody else may create objects in or look into the schema; PUBLIC gets nothing on it by default.
REVOKE ALL ON SCHEMA @SCHEMA@ FROM PUBLIC;
