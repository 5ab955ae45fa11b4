package io.simanchor.mud.domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.api.events.MudPolicyV1.PortMatch;
import io.simanchor.api.events.MudPolicyV1.Rule;

/**
 * Renders a device's effective policy as an nftables ruleset for the gateway that forwards the device's
 * traffic. The ruleset is one table of its own (reloading it replaces only that table), whose forward chain
 * sends the device's packets through {@code from_device} and packets to it through {@code to_device}; each
 * ends in a drop, so only what a rule accepts passes.
 *
 * <p>
 * Connection state stands in for {@code ietf-mud:direction-initiated} (RFC 8520 §2.1): a rule the device
 * must initiate accepts only new connections from the device, and packets of established connections pass
 * in both directions. Rules for the other IP version than the device's address cannot match and are left
 * out; so are rules whose DNS names do not resolve. Peer groups become named sets, which the gateway fills
 * with the addresses of the group's devices from its own sessions.
 *
 * <p>
 * What the gateway must add: connections a previous version allowed live on in conntrack until deleted
 * (the ruleset says how, except for deny-all, which drops established packets too), and the device must
 * not be able to use another source address or IP version (anti-spoofing on the device's interface, as
 * the mobile network's gateway does for the address it assigned).
 */
public final class NftablesRuleset {

    private final HostResolver resolver;

    public NftablesRuleset(HostResolver resolver) {
        this.resolver = resolver;
    }

    /** The ruleset enforcing {@code policy} for the device at {@code deviceAddress}, for {@code nft -f}. */
    public String render(MudPolicyV1 policy, InetAddress deviceAddress) {
        boolean v4 = deviceAddress instanceof Inet4Address;
        String ip = v4 ? "ip" : "ip6";
        String device = deviceAddress.getHostAddress();
        String table = tableName(policy.deviceId());
        Map<String, String> peerSets = new LinkedHashMap<>();
        List<String> fromDevice = new ArrayList<>();
        List<String> toDevice = new ArrayList<>();
        for (Rule rule : policy.rules()) {
            if (rule.family() != null && !rule.family().equals(v4 ? "ipv4" : "ipv6")) {
                continue;
            }
            boolean outbound = "from-device".equals(rule.direction());
            (outbound ? fromDevice : toDevice).add(statement(rule, outbound, v4, peerSets));
        }
        StringBuilder out = new StringBuilder();
        out.append("# SIM Anchor effective policy for device ").append(commentText(policy.deviceId())).append('\n');
        // Connection tracking outlives a reload: connections the previous version allowed go on until their
        // conntrack entries are deleted, so the gateway deletes them whenever it loads a new version.
        out.append("# after loading: conntrack -D -s ")
                .append(device)
                .append("; conntrack -D -d ")
                .append(device)
                .append('\n');
        out.append("# version ")
                .append(policy.version())
                .append(", tier ")
                .append(commentText(policy.tier()))
                .append(", reasons ")
                .append(commentText(String.join(" ", policy.reasons())))
                .append('\n');
        // Declaring then deleting the table makes the file replace an earlier version atomically (nft -f).
        out.append("table inet ").append(table).append('\n');
        out.append("delete table inet ").append(table).append('\n');
        out.append("table inet ").append(table).append(" {\n");
        peerSets.forEach((name, comment) -> out.append("    # ")
                .append(comment)
                .append('\n')
                .append("    set ")
                .append(name)
                .append(" {\n        type ")
                .append(v4 ? "ipv4_addr" : "ipv6_addr")
                .append("\n        flags interval\n    }\n"));
        out.append("    chain forward {\n");
        out.append("        type filter hook forward priority filter; policy accept;\n");
        out.append("        ").append(ip).append(" saddr ").append(device).append(" jump from_device\n");
        out.append("        ").append(ip).append(" daddr ").append(device).append(" jump to_device\n");
        out.append("    }\n");
        // Deny-all keeps no connection either: established ones are dropped like new ones.
        boolean keepConnections = !MudPolicyV1.TIER_DENY_ALL.equals(policy.tier());
        chain(out, "from_device", fromDevice, keepConnections);
        chain(out, "to_device", toDevice, keepConnections);
        out.append("}\n");
        return out.toString();
    }

    /** An nftables identifier for the device's table. */
    static String tableName(String deviceId) {
        return "simanchor_" + deviceId.replaceAll("[^A-Za-z0-9]", "_");
    }

    /**
     * Text from a MUD file or the platform made safe for an nftables comment: names in a MUD file are any
     * string (RFC 8519: 1..64 characters), and a line break in one would start a statement of the
     * manufacturer's choosing. Everything but letters, digits and {@code . _ - / : @ space} becomes '_'.
     */
    static String commentText(String text) {
        return text == null ? "" : text.replaceAll("[^A-Za-z0-9._/:@ -]", "_");
    }

    private static void chain(StringBuilder out, String name, List<String> statements, boolean keepConnections) {
        out.append("    chain ").append(name).append(" {\n");
        if (keepConnections) {
            out.append("        ct state established,related accept\n");
        }
        statements.forEach(statement -> out.append("        ").append(statement).append('\n'));
        out.append("        counter drop\n");
        out.append("    }\n");
    }

    private String statement(Rule rule, boolean outbound, boolean v4, Map<String, String> peerSets) {
        String comment = "# " + commentText(rule.name());
        String remoteInitiated = outbound ? "remote" : "device";
        if (remoteInitiated.equals(rule.initiatedBy())) {
            // Packets of a connection the other side opened are established ones, accepted above.
            return comment + ": replies only, accepted as established";
        }
        List<String> matches = new ArrayList<>();
        if (rule.initiatedBy() != null) {
            matches.add("ct state new");
        }
        String ip = v4 ? "ip" : "ip6";
        String remoteField = outbound ? "daddr" : "saddr";
        if (rule.remoteHosts() != null || rule.remoteNetworks() != null) {
            List<String> addresses = remoteAddresses(rule, v4);
            if (addresses.isEmpty()) {
                return comment + ": left out, " + (rule.remoteHosts() == null ? "no prefix" : "no name")
                        + " of this IP version resolves";
            }
            matches.add(ip + " " + remoteField + " { " + String.join(", ", addresses) + " }");
        }
        if (rule.peerGroup() != null) {
            String set = "peers_" + peerSets.size();
            peerSets.putIfAbsent(set, commentText("devices of " + rule.peerGroup().kind() + " "
                    + rule.peerGroup().selector()) + ": filled by the gateway");
            matches.add(ip + " " + remoteField + " @" + set);
        }
        Integer protocol = rule.protocol();
        if (protocol != null && (protocol == 6 || protocol == 17)) {
            String l4 = protocol == 6 ? "tcp" : "udp";
            PortMatch remote = rule.remotePort();
            PortMatch local = rule.devicePort();
            boolean any = remote == null && local == null;
            if (any) {
                matches.add("meta l4proto " + l4);
            }
            if (remote != null) {
                matches.add(l4 + " " + (outbound ? "dport" : "sport") + " " + ports(remote));
            }
            if (local != null) {
                matches.add(l4 + " " + (outbound ? "sport" : "dport") + " " + ports(local));
            }
        } else if (protocol != null && (protocol == 1 || protocol == 58)) {
            String icmp = protocol == 1 ? "icmp" : "icmpv6";
            matches.add("meta l4proto " + icmp);
            if (rule.icmpType() != null) {
                matches.add(icmp + " type " + rule.icmpType());
            }
            if (rule.icmpCode() != null) {
                matches.add(icmp + " code " + rule.icmpCode());
            }
        } else if (protocol != null) {
            matches.add("meta l4proto " + protocol);
        }
        return String.join(" ", matches) + (matches.isEmpty() ? "" : " ") + verdict(rule.action()) + " " + comment;
    }

    private List<String> remoteAddresses(Rule rule, boolean v4) {
        List<String> addresses = new ArrayList<>();
        if (rule.remoteNetworks() != null) {
            rule.remoteNetworks().stream().filter(prefix -> prefix.contains(":") != v4).forEach(addresses::add);
        }
        if (rule.remoteHosts() != null) {
            for (String host : rule.remoteHosts()) {
                resolver.resolve(host)
                        .stream()
                        .filter(address -> (address instanceof Inet4Address) == v4)
                        .map(InetAddress::getHostAddress)
                        .filter(address -> !addresses.contains(address))
                        .forEach(addresses::add);
            }
        }
        return addresses;
    }

    private static String ports(PortMatch match) {
        return switch (match.operator()) {
            case "eq" -> String.valueOf(match.port());
            case "neq" -> "!= " + match.port();
            case "lte" -> "<= " + match.port();
            case "gte" -> ">= " + match.port();
            case "range" -> match.lowerPort() + "-" + match.upperPort();
            default -> throw new IllegalArgumentException("unknown port operator " + match.operator());
        };
    }

    private static String verdict(String action) {
        return switch (action) {
            case "accept" -> "accept";
            case "reject" -> "reject";
            default -> "drop";
        };
    }
}
