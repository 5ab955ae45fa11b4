package io.simanchor.mud.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.simanchor.mud.infra.json.StrictMudDocuments;
import io.simanchor.mud.testing.MudFiles;

/** RFC 8520 / RFC 8519 structure checks, each problem reported with its JSON pointer. */
class MudFileValidatorTest {

    private static final String TRACKER = "tracker-x1";
    private static final MudFileValidator.Location TRACKER_LOCATION = location(MudFiles.DEMO_MANUFACTURER, TRACKER);
    private static final String ACE = "/ietf-access-control-list:acls/acl/0/aces/ace/0";

    private final StrictMudDocuments documents = new StrictMudDocuments();

    private static MudFileValidator.Location location(String manufacturer, String model) {
        return new MudFileValidator.Location(MudFiles.URLS.fileUrl(manufacturer, model),
                MudFiles.URLS.signatureUrl(manufacturer, model));
    }

    private MudFile validate(String json, MudFileValidator.Location location) {
        return MudFileValidator.validate(documents.parse(json.getBytes(StandardCharsets.UTF_8)), location);
    }

    private List<Violation> violations(String json) {
        try {
            validate(json, TRACKER_LOCATION);
        } catch (MudFileRejected e) {
            return e.violations();
        }
        throw new AssertionError("the file was accepted");
    }

    /** The tracker's file with the first occurrence of {@code from} replaced. */
    private static String tracker(String from, String to) {
        String file = MudFiles.demo(TRACKER);
        assertThat(file).contains(from);
        int at = file.indexOf(from);
        return file.substring(0, at) + to + file.substring(at + from.length());
    }

    @Test
    void the_rfc_8520_example_is_valid() {
        MudFile file = validate(MudFiles.rfcExample(), location(MudFiles.RFC_MANUFACTURER, MudFiles.RFC_MODEL));

        assertThat(file.cacheValidityHours()).isEqualTo(48);
        assertThat(file.fromDevice()).singleElement().satisfies(acl -> {
            assertThat(acl.name()).isEqualTo("mud-76100-v6fr");
            assertThat(acl.family()).isEqualTo(MudFile.Family.IPV6);
            assertThat(acl.aces().get(0).dstDnsName()).isEqualTo("test.example.com");
            assertThat(acl.aces().get(0).dstPort()).isEqualTo(new MudFile.PortRange("eq", 443, null, null));
            assertThat(acl.aces().get(0).initiatedBy()).isEqualTo("from-device");
        });
        assertThat(file.toDevice()).singleElement()
                .satisfies(acl -> assertThat(acl.name()).isEqualTo("mud-76100-v6to"));
    }

    @Test
    void the_demo_models_files_are_valid() {
        MudFile tracker = validate(MudFiles.demo(TRACKER), TRACKER_LOCATION);
        MudFile meter = validate(MudFiles.demo("meter-m2"), location(MudFiles.DEMO_MANUFACTURER, "meter-m2"));

        assertThat(tracker.fromDevice().get(0).aces()).extracting(MudFile.Ace::name)
                .containsExactly("telemetry", "time", "fleet-peers");
        assertThat(tracker.fromDevice().get(0).aces().get(2).abstraction())
                .isEqualTo(new MudFile.Abstraction("same-manufacturer", null));
        assertThat(meter.toDevice().get(0).aces().get(0).abstraction().kind()).isEqualTo("local-networks");
    }

    @Test
    void json_that_is_not_mud_lists_what_is_missing_and_unknown() {
        assertThat(violations("{\"hello\": 1}")).containsExactlyInAnyOrder(
                new Violation("/hello", "unknown member"),
                new Violation("/ietf-mud:mud", "required member is missing"));
        assertThat(violations("[1, 2]")).containsExactly(new Violation("", "must be a JSON object"));
    }

    @Test
    void every_problem_is_reported_not_only_the_first() {
        String file = tracker("\"cache-validity\": 24", "\"cache-validity\": 0")
                .replace("\"port\": 8883", "\"port\": 70000")
                .replace("\"mud-version\": 1", "\"mud-version\": 2");

        assertThat(violations(file)).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/ietf-mud:mud/cache-validity", "/ietf-mud:mud/mud-version",
                        ACE + "/matches/tcp/destination-port/port",
                        "/ietf-access-control-list:acls/acl/1/aces/ace/0/matches/tcp/source-port/port");
    }

    @Test
    void cache_validity_must_be_1_to_168_hours() {
        assertThat(violations(tracker("\"cache-validity\": 24", "\"cache-validity\": 1000")))
                .containsExactly(new Violation("/ietf-mud:mud/cache-validity", "must be between 1 and 168, was 1000"));
        assertThat(violations(tracker("\"cache-validity\": 24", "\"cache-validity\": 24.5")))
                .containsExactly(new Violation("/ietf-mud:mud/cache-validity", "must be an integer"));
    }

    @Test
    void the_mud_url_must_be_where_the_file_is_served() {
        assertThat(violations(tracker("/tracker-x1.json\"", "/meter-m2.json\""))).singleElement()
                .satisfies(violation -> {
                    assertThat(violation.pointer()).isEqualTo("/ietf-mud:mud/mud-url");
                    assertThat(violation.message()).contains(TRACKER_LOCATION.mudUrl());
                });
        assertThat(violations(tracker("/tracker-x1.p7s\"", "/other.p7s\""))).extracting(Violation::pointer)
                .containsExactly("/ietf-mud:mud/mud-signature");
    }

    @Test
    void policies_must_reference_existing_acls() {
        assertThat(violations(tracker("\"name\": \"mud-tracker-x1-v4to\"\n          }",
                "\"name\": \"no-such-acl\"\n          }")))
                .containsExactly(new Violation("/ietf-mud:mud/to-device-policy/access-lists/access-list/0/name",
                        "no ACL named 'no-such-acl' in ietf-access-control-list:acls"));
    }

    @Test
    void dns_names_must_be_syntactically_valid() {
        assertThat(violations(tracker("\"ietf-acldns:dst-dnsname\": \"telemetry.simanchor.local\"",
                "\"ietf-acldns:dst-dnsname\": \"-bad-.example..com\"")))
                .extracting(Violation::pointer)
                .containsExactly(ACE + "/matches/ipv4/ietf-acldns:dst-dnsname");
        assertThat(violations(tracker("\"ietf-acldns:dst-dnsname\": \"telemetry.simanchor.local\"",
                "\"ietf-acldns:dst-dnsname\": \"" + "a".repeat(64) + ".example\""))).hasSize(1);
    }

    @Test
    void a_dns_name_on_the_device_side_is_refused() {
        // RFC 8520 §8.1: in a from-device ACL the source is the device itself.
        assertThat(violations(tracker("\"ietf-acldns:dst-dnsname\": \"telemetry.simanchor.local\"",
                "\"ietf-acldns:src-dnsname\": \"telemetry.simanchor.local\"")))
                .extracting(Violation::pointer)
                .containsExactly("/ietf-mud:mud/from-device-policy/access-lists/access-list/0/name");
    }

    @Test
    void ace_matches_and_actions_must_be_well_formed() {
        assertThat(violations(tracker("\"forwarding\": \"accept\"", "\"forwarding\": \"maybe\"")))
                .extracting(Violation::pointer)
                .containsExactly(ACE + "/actions/forwarding");
        assertThat(violations(tracker(
                "\"ietf-mud:direction-initiated\": \"from-device\",\n                  \"destination-port\": {\n                    \"operator\": \"eq\",\n                    \"port\": 8883",
                "\"ietf-mud:direction-initiated\": \"sideways\",\n                  \"destination-port\": {\n                    \"operator\": \"eq\",\n                    \"port\": 8883")))
                .extracting(Violation::pointer)
                .containsExactly(ACE + "/matches/tcp/ietf-mud:direction-initiated");
        assertThat(violations(tracker("\"operator\": \"eq\",\n                    \"port\": 123",
                "\"operator\": \"around\",\n                    \"port\": 123")))
                .extracting(Violation::pointer)
                .containsExactly(
                        "/ietf-access-control-list:acls/acl/0/aces/ace/1/matches/udp/destination-port/operator");
        assertThat(violations(tracker("\"protocol\": 17", "\"protocol\": 6"))).extracting(Violation::message)
                .containsExactly("protocol 6 contradicts the layer-4 match (17)");
        assertThat(violations(tracker("\"same-manufacturer\": [null]", "\"same-manufacturer\": true")))
                .extracting(Violation::pointer)
                .containsExactly(
                        "/ietf-access-control-list:acls/acl/0/aces/ace/2/matches/ietf-mud:mud/same-manufacturer");
    }

    @Test
    void matches_that_would_be_ignored_are_refused_not_dropped() {
        // Ignoring a match widens its rule; a MUD manager must not enforce less than the file says.
        assertThat(violations(tracker(
                "\"protocol\": 6\n                },\n                \"tcp\": {\n                  \"ietf-mud:direction-initiated\": \"from-device\",\n                  \"destination-port\"",
                "\"protocol\": 6, \"dscp\": 10\n                },\n                \"tcp\": {\n                  \"ietf-mud:direction-initiated\": \"from-device\",\n                  \"destination-port\"")))
                .extracting(Violation::pointer)
                .containsExactly(ACE + "/matches/ipv4/dscp");
    }

    @Test
    void a_number_with_a_huge_exponent_is_refused_without_expanding_it() {
        assertThat(violations(tracker("\"cache-validity\": 24", "\"cache-validity\": 1e999999999")))
                .containsExactly(new Violation("/ietf-mud:mud/cache-validity", "must be between 1 and 168"));
    }

    @Test
    void ip_addresses_are_not_dns_names() {
        assertThat(violations(tracker("\"ietf-acldns:dst-dnsname\": \"telemetry.simanchor.local\"",
                "\"ietf-acldns:dst-dnsname\": \"10.0.0.1\""))).extracting(Violation::pointer)
                .containsExactly(ACE + "/matches/ipv4/ietf-acldns:dst-dnsname");
    }

    @Test
    void a_controller_may_be_named_by_urn_as_rfc_8520_appendix_a_does() {
        MudFile file = validate(tracker("\"same-manufacturer\": [null]", "\"controller\": \"urn:ietf:params:mud:ntp\""),
                TRACKER_LOCATION);
        assertThat(file.fromDevice().get(0).aces().get(2).abstraction())
                .isEqualTo(new MudFile.Abstraction("controller", "urn:ietf:params:mud:ntp"));
    }

    @Test
    void a_file_with_more_aces_than_any_device_needs_is_refused() {
        StringBuilder aces = new StringBuilder();
        for (int i = 0; i <= MudFileValidator.MAX_ACES; i++) {
            aces.append(i == 0 ? "" : ",")
                    .append("{\"name\": \"a")
                    .append(i)
                    .append("\", \"matches\": {}, \"actions\": {\"forwarding\": \"drop\"}}");
        }
        String file = "{\"ietf-mud:mud\": {\"mud-version\": 1, \"mud-url\": \"" + TRACKER_LOCATION.mudUrl()
                + "\", \"last-update\": \"2026-01-01T00:00:00Z\", \"is-supported\": true},"
                + " \"ietf-access-control-list:acls\": {\"acl\": [{\"name\": \"big\", \"type\": \"ipv4-acl-type\","
                + " \"aces\": {\"ace\": [" + aces + "]}}]}}";
        assertThat(violations(file)).extracting(Violation::message).containsExactly("at most 256 ACEs per MUD file");
    }

    @Test
    void duplicate_member_names_are_refused_with_their_location() {
        assertThatThrownBy(
                () -> validate(tracker("\"cache-validity\": 24", "\"cache-validity\": 24, \"cache-validity\": 1"),
                        TRACKER_LOCATION))
                .isInstanceOfSatisfying(MudFileRejected.class, e -> assertThat(e.violations()).singleElement()
                        .satisfies(violation -> {
                            assertThat(violation.pointer()).isEqualTo("/ietf-mud:mud/cache-validity");
                            assertThat(violation.message()).contains("twice");
                        }));
    }

    @Test
    void malformed_json_is_refused() {
        assertThat(violations("{\"ietf-mud:mud\": {")).singleElement()
                .satisfies(violation -> assertThat(violation.message()).startsWith("not well-formed JSON"));
        assertThat(violations("{} {}")).singleElement()
                .satisfies(violation -> assertThat(violation.message()).startsWith("not well-formed JSON"));
        assertThat(violations("")).hasSize(1);
    }

    @Test
    void dot_segments_and_control_characters_are_no_model_names() {
        // A client normalises "." and ".." away, so the MUD URL in a certificate would point elsewhere.
        assertThat(ModelKey.validName("tracker-x1")).isTrue();
        assertThat(ModelKey.validName("..")).isFalse();
        assertThat(ModelKey.validName(".")).isFalse();
        assertThat(ModelKey.validName("a\nb")).isFalse();
        assertThat(ModelKey.validName("m".repeat(129))).isFalse();
    }

    @Test
    void prefixes_are_literal_and_have_no_host_bits() {
        assertThat(IpPrefix.parse("192.0.2.0/24", MudFile.Family.IPV4)).hasToString("192.0.2.0/24");
        assertThat(IpPrefix.parse("2001:db8::/32", MudFile.Family.IPV6).length()).isEqualTo(32);
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.1/24", MudFile.Family.IPV4))
                .hasMessageContaining("host bits");
        assertThatThrownBy(() -> IpPrefix.parse("300.0.2.0/24", MudFile.Family.IPV4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("example.com/24", MudFile.Family.IPV4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33", MudFile.Family.IPV4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
