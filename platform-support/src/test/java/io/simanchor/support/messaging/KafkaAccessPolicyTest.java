package io.simanchor.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** Reading k8s/base/kafka/access-control.tsv, and refusing what is not an ACL. */
class KafkaAccessPolicyTest {

    @Test
    void the_platform_file_gives_each_topic_exactly_its_owner_as_writer() throws Exception {
        KafkaAccessPolicy policy = KafkaAccessPolicy.read(Path.of("../k8s/base/kafka/access-control.tsv"));

        assertThat(policy.bindings()
                .stream()
                .filter(binding -> binding.entry().operation() == AclOperation.WRITE)
                .filter(binding -> binding.pattern().name().equals("simanchor.device-lifecycle"))
                .map(binding -> binding.entry().principal())).containsExactly("User:identity-service");
        assertThat(policy.bindings()
                .stream()
                .filter(binding -> binding.entry().operation() == AclOperation.WRITE)
                .filter(binding -> binding.pattern().name().equals("simanchor.attestation-results"))
                .map(binding -> binding.entry().principal())).containsExactly("User:attestation-service");
        assertThat(policy.bindings()
                .stream()
                .filter(binding -> binding.entry().principal().equals("User:monitoring"))
                .map(binding -> binding.entry().operation())).containsOnly(AclOperation.READ);
    }

    @Test
    void a_line_reads_as_one_acl_per_operation() {
        var bindings = KafkaAccessPolicy.parse("# comment\nsome-service  Write,Create  topic  prefixed  a.\n")
                .bindings();

        assertThat(bindings).hasSize(2).allSatisfy(binding -> {
            assertThat(binding.pattern().resourceType()).isEqualTo(ResourceType.TOPIC);
            assertThat(binding.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
            assertThat(binding.entry().principal()).isEqualTo("User:some-service");
        });
    }

    @Test
    void what_is_not_an_acl_is_refused_with_its_line() {
        assertThatThrownBy(() -> KafkaAccessPolicy.parse("\nsome-service Write topic\n"))
                .hasMessageStartingWith("line 2: expected");
        assertThatThrownBy(() -> KafkaAccessPolicy.parse("some-service Fly topic literal a"))
                .hasMessageContaining("unknown AclOperation: Fly");
        assertThatThrownBy(() -> KafkaAccessPolicy.parse("some-service All topic any a"))
                .hasMessageContaining("unknown PatternType: any");
        assertThatThrownBy(() -> KafkaAccessPolicy.parse("simanchor-admin Read topic literal a"))
                .hasMessageContaining("super user");
    }
}
