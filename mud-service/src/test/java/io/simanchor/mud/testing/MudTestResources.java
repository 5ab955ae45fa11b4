package io.simanchor.mud.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.simanchor.support.testing.KafkaTestResource;
import io.simanchor.support.testing.PostgresTestResource;
import io.simanchor.support.testing.TestOidcResource;

/**
 * Every {@code @QuarkusTest} of this module runs against a real PostgreSQL and a real Kafka broker,
 * started once per test JVM, and verifies operator tokens with the test OIDC key.
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(TestOidcResource.class)
public final class MudTestResources {

    private MudTestResources() {
    }
}
