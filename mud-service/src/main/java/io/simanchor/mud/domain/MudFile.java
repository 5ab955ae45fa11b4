package io.simanchor.mud.domain;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A MUD file (RFC 8520) that passed {@link MudFileValidator}: what the MUD manager needs of it. The file's
 * bytes as the manufacturer wrote them are kept elsewhere ({@link MudFileVersion}); they are what is signed
 * and served.
 *
 * @param mudUrl {@code mud-url}
 * @param lastUpdate {@code last-update}
 * @param cacheValidityHours {@code cache-validity} (RFC 8520 §3.4: 1..168 hours, default 48)
 * @param supported {@code is-supported}
 * @param systemInfo {@code systeminfo}, or null
 * @param fromDevice the ACLs of {@code from-device-policy}, in order
 * @param toDevice the ACLs of {@code to-device-policy}, in order
 */
public record MudFile(String mudUrl, OffsetDateTime lastUpdate, int cacheValidityHours, boolean supported,
        String systemInfo, List<Acl> fromDevice, List<Acl> toDevice) {

    /** RFC 8520 §3.4: the default of {@code cache-validity}. */
    public static final int DEFAULT_CACHE_VALIDITY_HOURS = 48;

    /** IP version of an ACL (RFC 8519 {@code ipv4-acl-type} / {@code ipv6-acl-type}). */
    public enum Family {

        IPV4("ipv4"),
        IPV6("ipv6");

        private final String label;

        Family(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** An access list: its entries are tried in order. */
    public record Acl(String name, Family family, List<Ace> aces) {
    }

    /**
     * An access control entry. Absent matches are null. {@code src*} and {@code dst*} are as RFC 8519 writes
     * them; which end is the device depends on the policy the ACL is attached to.
     *
     * @param initiatedBy {@code ietf-mud:direction-initiated}: {@code from-device}, {@code to-device} or null
     * @param abstraction the {@code ietf-mud:mud} match (RFC 8520 §8), or null
     * @param forwarding {@code accept}, {@code drop} or {@code reject}
     */
    public record Ace(String name, Integer protocol, String srcNetwork, String dstNetwork, String srcDnsName,
            String dstDnsName, PortRange srcPort, PortRange dstPort, Integer icmpType, Integer icmpCode,
            String initiatedBy, Abstraction abstraction, String forwarding) {
    }

    /**
     * RFC 8519 {@code port-range-or-operator}: {@code operator} ({@code eq}, {@code neq}, {@code lte},
     * {@code gte}) with {@code port}, or {@code range} with {@code lowerPort}..{@code upperPort}.
     */
    public record PortRange(String operator, Integer port, Integer lowerPort, Integer upperPort) {
    }

    /**
     * A MUD abstraction (RFC 8520 §8): {@code kind} is {@code manufacturer}, {@code same-manufacturer},
     * {@code model}, {@code local-networks}, {@code controller} or {@code my-controller}; {@code value} the
     * domain or URI for those that take one, else null.
     */
    public record Abstraction(String kind, String value) {
    }
}
