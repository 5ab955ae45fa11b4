package io.simanchor.identity.infra.persistence;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.support.testing.ServiceDatabasePrivilegesContract;

/** identity-service's PostgreSQL role may do what the service needs in its own schema and nothing more. */
@QuarkusTest
class DatabasePrivilegesTest extends ServiceDatabasePrivilegesContract {

    @Override
    protected String schema() {
        return "identity";
    }

    @Override
    protected List<String> appendOnlyTables() {
        return List.of("audit_log");
    }

    @Override
    protected String stateTable() {
        return "device";
    }
}
