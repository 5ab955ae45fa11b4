package io.simanchor.identity.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.simanchor.support.testing.KafkaTestResource;
import io.simanchor.support.testing.PostgresTestResource;
import io.simanchor.support.testing.TestOidcResource;

/**
 * Every {@code @QuarkusTest} of this module runs against a real PostgreSQL (as the service's least-privileged
 * role) and a real Kafka broker, started once per test JVM, and verifies operator tokens with the test OIDC key.
 */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = PostgresTestResource.SCHEMA, value = "identity"))
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.PRINCIPAL, value = "identity-service"))
@QuarkusTestResource(TestOidcResource.class)
public final class IdentityTestResources {

    private IdentityTestResources() {
    }
}
