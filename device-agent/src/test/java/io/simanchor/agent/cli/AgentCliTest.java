package io.simanchor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AgentCliTest {

    private static final Map<String, String> WITH_SECRET = Map.of("SIMANCHOR_OPERATOR_CLIENT_SECRET", "s");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void without_arguments_it_prints_usage_and_fails() throws Exception {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fleet-enroll");
    }

    @Test
    void the_operator_secret_must_come_from_the_environment() throws Exception {
        assertThat(run(Map.of(), "fleet-enroll", "--devices", "2")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("SIMANCHOR_OPERATOR_CLIENT_SECRET");
    }

    @Test
    void bad_numbers_and_unknown_commands_are_refused_with_usage() throws Exception {
        assertThat(run(WITH_SECRET, "fleet-enroll", "--devices", "-3")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--devices must be a positive whole number");
        assertThat(run(WITH_SECRET, "fleet-enroll", "--devices")).isEqualTo(2);
        assertThat(run(WITH_SECRET, "launch-rockets")).isEqualTo(2);
    }

    @Test
    void a_url_that_cannot_be_called_is_refused_before_anything_runs() throws Exception {
        assertThat(run(WITH_SECRET, "fleet-enroll", "--token-url", "http://127.0.0.1:6647156/token")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--token-url must be an http or https URL such as http://127.0.0.1:8084");
        assertThat(run(WITH_SECRET, "fleet-enroll", "--identity-url", "127.0.0.1:8081")).isEqualTo(2);
        assertThat(run(WITH_SECRET, "fleet-enroll", "--identity-url", "ftp://127.0.0.1/")).isEqualTo(2);
        assertThat(run(WITH_SECRET, "fleet-enroll", "--identity-url", "http://[bad")).isEqualTo(2);
    }

    @Test
    void token_concurrencies_are_a_list_of_positive_numbers() throws Exception {
        for (String bad : new String[]{"8,", "8,0", "eight", "8;32"}) {
            assertThat(run(Map.of("KEYCLOAK_ADMIN_PASSWORD", "p"), "keycloak-tokens", "--token-concurrency", bad))
                    .isEqualTo(2);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--token-concurrency must be positive whole numbers separated by commas");
    }

    @Test
    void a_database_pid_needs_the_server_pid() throws Exception {
        assertThat(run(Map.of("KEYCLOAK_ADMIN_PASSWORD", "p"), "keycloak-tokens", "--database-pid", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--database-pid needs --server-pid");
    }

    @Test
    void options_of_another_command_are_refused() throws Exception {
        assertThat(run(WITH_SECRET, "fleet-enroll", "--records", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option: --records");
        assertThat(run(WITH_SECRET, "fleet-manifest", "--records", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--records must be a positive whole number");
    }

    @Test
    void an_unreachable_service_is_a_failed_run_not_a_stack_trace() throws Exception {
        assertThat(run(WITH_SECRET, "fleet-enroll", "--token-url", "http://127.0.0.1:1/token")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("failed: ");
    }

    @Test
    void an_unusable_pkcs11_library_is_a_configuration_error() throws Exception {
        assertThat(run(Map.of("SIMANCHOR_SIM_PIN", "1234"), "sim-latency", "--sim", "pkcs11", "--pkcs11-library",
                "/nonexistent/libiotsafe.so", "--pkcs11-slot", "0", "--samples", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("secure element: ")
                .contains("/nonexistent/libiotsafe.so");
    }

    @Test
    void the_production_profile_refuses_a_software_key() throws Exception {
        assertThat(run(Map.of(), "token", "--sim", "software")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("production profile refuses --sim software");
    }

    @Test
    void every_command_explains_its_options() throws Exception {
        for (String command : new String[]{"enroll", "rotate-key", "attest", "token", "run", "fleet",
                "sim-latency"}) {
            assertThat(run(Map.of(), command, "--help")).isZero();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--pkcs11-token-label").contains("--duration");
    }

    private int run(Map<String, String> env, String... args) throws Exception {
        return AgentCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
    }
}
