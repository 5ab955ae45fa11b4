package io.simanchor.support.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** Where {@link OperatorScope} takes the tenant from: the platform role, else a string {@code tenant} claim. */
class OperatorScopeOfTokenTest {

    @Test
    void the_tenant_claim_scopes_the_operator() {
        OperatorScope scope = OperatorScope.of(identity(Map.of("tenant", "acme")));

        assertThat(scope.covers("acme")).isTrue();
        assertThat(scope.covers("globex")).isFalse();
    }

    @Test
    void the_platform_role_covers_every_tenant_even_with_a_tenant_claim() {
        OperatorScope scope = OperatorScope.of(identity(Map.of("tenant", "acme"), Roles.PLATFORM_OPERATOR));

        assertThat(scope.covers("globex")).isTrue();
    }

    @Test
    void a_missing_blank_or_non_string_claim_covers_nothing() {
        for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of(), Map.of("tenant", " "),
                Map.of("tenant", List.of("acme", "globex")))) {
            OperatorScope scope = OperatorScope.of(identity(claims));
            assertThat(scope.covers("acme")).as("claims %s", claims).isFalse();
            assertThat(scope.covers(null)).isFalse();
        }
    }

    private static QuarkusSecurityIdentity identity(Map<String, Object> claims, String... roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new Token(claims)).addRoles(Set.of(roles)).build();
    }

    private record Token(Map<String, Object> claims) implements JsonWebToken {

        @Override
        public String getName() {
            return "operator";
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T getClaim(String claimName) {
            return (T) claims.get(claimName);
        }
    }
}
