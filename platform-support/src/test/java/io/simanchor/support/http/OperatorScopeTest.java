package io.simanchor.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.ProblemException;

class OperatorScopeTest {

    @Test
    void a_tenant_operator_covers_its_tenant_only() {
        OperatorScope scope = OperatorScope.tenant("acme");

        assertThat(scope.covers("acme")).isTrue();
        assertThat(scope.covers("globex")).isFalse();
        assertThat(scope.covers(null)).isFalse();
        assertThatThrownBy(() -> scope.requireTenant("globex")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.type()).isEqualTo(CommonProblems.TENANT_NOT_PERMITTED));
    }

    @Test
    void a_tenant_operator_acts_on_its_own_tenant_when_a_request_names_none() {
        OperatorScope scope = OperatorScope.tenant("acme");

        assertThat(scope.tenantOr(null)).isEqualTo("acme");
        assertThat(scope.listFilter(null)).contains("acme");
        assertThatThrownBy(() -> scope.listFilter("globex")).isInstanceOf(ProblemException.class);
    }

    @Test
    void a_platform_operator_covers_every_tenant_and_lists_them_all() {
        OperatorScope scope = OperatorScope.platform();

        assertThat(scope.covers("acme")).isTrue();
        assertThat(scope.tenantOr(null)).isEqualTo("default");
        assertThat(scope.listFilter(null)).isEqualTo(Optional.empty());
        assertThat(scope.listFilter("globex")).contains("globex");
        scope.requirePlatformWide();
    }

    @Test
    void only_a_platform_operator_changes_what_every_tenant_shares() {
        assertThatThrownBy(() -> OperatorScope.tenant("acme").requirePlatformWide())
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(CommonProblems.PLATFORM_OPERATOR_REQUIRED));
    }
}
