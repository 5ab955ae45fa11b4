package io.simanchor.token.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.simanchor.support.testing.KafkaTestResource;
import io.simanchor.support.testing.PostgresTestResource;
import io.simanchor.support.testing.TestOidcResource;

/** The real infrastructure every token-service @QuarkusTest runs against (annotations apply globally). */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = PostgresTestResource.SCHEMA, value = "token"))
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.PRINCIPAL, value = "token-service"))
@QuarkusTestResource(TestOidcResource.class)
@QuarkusTestResource(VerifierKeyResource.class)
public final class TokenTestResources {

    private TokenTestResources() {
    }
}
