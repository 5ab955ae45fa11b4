package io.simanchor.mud.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.api.events.MudPolicyV1.PortMatch;
import io.simanchor.api.events.MudPolicyV1.Rule;
import io.simanchor.mud.infra.dns.ConfiguredHostResolver;

/** The text of rendered rulesets; {@code NftablesEnforcementTest} shows that the kernel enforces it. */
class NftablesRulesetTest {

    private final NftablesRuleset nftables = new NftablesRuleset(new ConfiguredHostResolver(
            Map.of("cloud.example", List.of("192.0.2.7", "2001:db8::7")), false));

    private static MudPolicyV1 policy(Rule... rules) {
        return new MudPolicyV1("dev-1", "t", "Acme", "m", 1, MudPolicyV1.TIER_MUD, null, List.of(rules),
                List.of("ATTESTATION_AFFIRMING"), Instant.EPOCH);
    }

    private static Rule rule(String name, String direction, String family, Integer protocol, List<String> hosts,
            MudPolicyV1.PeerGroup peers, PortMatch remote, String initiatedBy) {
        return new Rule(name, direction, "accept", family, protocol, hosts, null, peers, remote, null, null, null,
                initiatedBy);
    }

    @Test
    void rules_match_the_remote_end_protocol_ports_and_who_opened_the_connection() throws Exception {
        String ruleset = nftables.render(policy(
                rule("acl/cloud", "from-device", "ipv4", 6, List.of("cloud.example"), null,
                        new PortMatch("eq", 443, null, null), "device"),
                rule("acl/range", "from-device", "ipv4", 17, List.of("cloud.example"), null,
                        new PortMatch("range", null, 5000, 5010), null),
                rule("acl/replies", "to-device", "ipv4", 6, List.of("cloud.example"), null,
                        new PortMatch("eq", 443, null, null), "device")),
                InetAddress.getByName("10.0.0.2"));

        assertThat(ruleset).contains("table inet simanchor_dev_1 {")
                .contains("delete table inet simanchor_dev_1")
                .contains("ip saddr 10.0.0.2 jump from_device")
                .contains("ct state new ip daddr { 192.0.2.7 } tcp dport 443 accept # acl/cloud")
                .contains("ip daddr { 192.0.2.7 } udp dport 5000-5010 accept # acl/range")
                .contains("# acl/replies: replies only, accepted as established")
                .contains("counter drop");
    }

    @Test
    void rules_of_the_other_ip_version_and_unresolvable_names_are_left_out() throws Exception {
        String ruleset = nftables.render(policy(
                rule("acl/v6", "from-device", "ipv6", 6, List.of("cloud.example"), null, null, null),
                rule("acl/unknown", "from-device", "ipv4", 6, List.of("unknown.example"), null, null, null)),
                InetAddress.getByName("10.0.0.2"));

        assertThat(ruleset).doesNotContain("2001:db8::7").doesNotContain("acl/v6");
        assertThat(ruleset).contains("# acl/unknown: left out, no name of this IP version resolves");
        assertThat(ruleset).doesNotContain("daddr {");
    }

    @Test
    void peer_groups_become_named_sets_for_the_gateway_to_fill() throws Exception {
        String ruleset = nftables.render(policy(rule("acl/peers", "from-device", "ipv6", 17, null,
                new MudPolicyV1.PeerGroup("model", "https://mud.example/m.json"), new PortMatch("eq", 5683, null, null),
                null)), InetAddress.getByName("2001:db8::2"));

        assertThat(ruleset).contains("set peers_0 {")
                .contains("type ipv6_addr")
                .contains("ip6 saddr 2001:db8:0:0:0:0:0:2 jump from_device")
                .contains("ip6 daddr @peers_0 udp dport 5683 accept # acl/peers");
    }

    @Test
    void names_from_the_mud_file_cannot_break_out_of_their_comment() throws Exception {
        // RFC 8519 allows any string as an ACE name; a line break would start a statement of its own.
        String ruleset = nftables.render(policy(rule("acl/x\n        accept\n        #", "from-device", "ipv4", 6,
                List.of("cloud.example"), new MudPolicyV1.PeerGroup("manufacturer", "Evil\"\n accept"), null, null)),
                InetAddress.getByName("10.0.0.2"));

        assertThat(ruleset.lines().map(String::trim)).doesNotContain("accept");
        assertThat(ruleset).contains("# acl/x_        accept_        _")
                .contains("# devices of manufacturer Evil__ accept:");
    }

    @Test
    void a_deny_all_policy_drops_everything_of_the_device() throws Exception {
        String ruleset = nftables.render(new MudPolicyV1("dev-1", "t", "Acme", "m", 2, MudPolicyV1.TIER_DENY_ALL, null,
                List.of(), List.of("DEVICE_REVOKED"), Instant.EPOCH), InetAddress.getByName("10.0.0.2"));

        // Not even established connections: a revoked device keeps nothing it had.
        assertThat(ruleset).contains("chain from_device {\n        counter drop\n    }")
                .contains("chain to_device {\n        counter drop\n    }")
                .doesNotContain("established");
    }
}
