package io.simanchor.mud.infra.persistence;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.support.testing.ServiceDatabasePrivilegesContract;

/** mud-service's PostgreSQL role may do what the service needs in its own schema and nothing more. */
@QuarkusTest
class DatabasePrivilegesTest extends ServiceDatabasePrivilegesContract {

    @Override
    protected String schema() {
        return "mud";
    }

    @Override
    protected List<String> appendOnlyTables() {
        return List.of("audit_log", "mud_file");
    }

    @Override
    protected String stateTable() {
        return "effective_policy";
    }
}
