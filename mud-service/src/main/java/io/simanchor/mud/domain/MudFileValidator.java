package io.simanchor.mud.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed MUD file against the structure of RFC 8520 (the {@code ietf-mud} module, §2.1) and the
 * access lists of RFC 8519 it uses, and reports every problem with its JSON pointer rather than only the
 * first. The input is the JSON document as plain Java values ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}); duplicate member names were refused while parsing.
 *
 * <p>
 * Strict by design: members the MUD manager would not enforce (DSCP, TTL, TCP flags, Ethernet matches...)
 * are refused instead of ignored, because ignoring a match widens the rule it belongs to.
 */
public final class MudFileValidator {

    /** Where the file will be served: its {@code mud-url} and {@code mud-signature} must say so. */
    public record Location(String mudUrl, String signatureUrl) {
    }

    static final String MUD = "ietf-mud:mud";
    static final String ACLS = "ietf-access-control-list:acls";
    private static final String ACL_PREFIX = "ietf-access-control-list:";
    private static final String DNS_PREFIX = "ietf-acldns:";
    private static final Set<String> MUD_MEMBERS = Set.of("mud-version", "mud-url", "last-update", "mud-signature",
            "cache-validity", "is-supported", "systeminfo", "mfg-name", "model-name", "firmware-rev", "software-rev",
            "documentation", "extensions", "from-device-policy", "to-device-policy");
    private static final Set<String> ABSTRACTIONS_WITH_VALUE = Set.of("manufacturer", "model", "controller");
    private static final Set<String> ABSTRACTIONS_EMPTY = Set.of("same-manufacturer", "local-networks",
            "my-controller");
    private static final Set<String> PORT_OPERATORS = Set.of("eq", "neq", "lte", "gte");
    private static final Set<String> FORWARDING = Set.of("accept", "drop", "reject");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");

    /**
     * Bounds that keep each device's derived policy far below Kafka's 1 MB record limit (a record the relay
     * cannot publish would hold up every later event); a real device's MUD file has a handful of ACEs.
     */
    static final int MAX_ACLS = 32;
    static final int MAX_ACES = 256;

    private final Location location;
    private final List<Violation> violations = new ArrayList<>();
    private int aceCount;

    private MudFileValidator(Location location) {
        this.location = location;
    }

    /**
     * The MUD file in {@code document}, to be served at {@code location}.
     *
     * @throws MudFileRejected listing every problem found
     */
    public static MudFile validate(Object document, Location location) {
        MudFileValidator validator = new MudFileValidator(location);
        MudFile file = validator.file(document);
        if (!validator.violations.isEmpty()) {
            throw new MudFileRejected(validator.violations);
        }
        return file;
    }

    private MudFile file(Object document) {
        Map<String, Object> root = object(document, "");
        if (root == null) {
            return null;
        }
        unknownMembers(root, "", Set.of(MUD, ACLS));
        Map<String, Acl> acls = acls(root.get(ACLS), Violation.pointer("", ACLS));
        Map<String, Object> mud = required(root, "", MUD) ? object(root.get(MUD), Violation.pointer("", MUD)) : null;
        if (mud == null) {
            return null;
        }
        String at = Violation.pointer("", MUD);
        Set<String> extensions = extensions(mud.get("extensions"), Violation.pointer(at, "extensions"));
        for (String member : mud.keySet()) {
            // RFC 8520 §3.7: an extension adds module-qualified members, and must be listed in "extensions".
            boolean extension = member.contains(":") && !extensions.isEmpty();
            if (!MUD_MEMBERS.contains(member) && !extension) {
                violations.add(new Violation(Violation.pointer(at, member), "unknown member of the MUD container"));
            }
        }
        if (required(mud, at, "mud-version")) {
            Long version = integer(mud.get("mud-version"), Violation.pointer(at, "mud-version"), 0, 255);
            if (version != null && version != 1) {
                violations.add(new Violation(Violation.pointer(at, "mud-version"), "must be 1 (RFC 8520 §3.2)"));
            }
        }
        String mudUrl = required(mud, at, "mud-url")
                ? text(mud.get("mud-url"), Violation.pointer(at, "mud-url"))
                : null;
        if (mudUrl != null && !mudUrl.equals(location.mudUrl())) {
            violations.add(new Violation(Violation.pointer(at, "mud-url"),
                    "must be the URL this file is served at: " + location.mudUrl()));
        }
        if (mud.containsKey("mud-signature")) {
            String signature = text(mud.get("mud-signature"), Violation.pointer(at, "mud-signature"));
            if (signature != null && !signature.equals(location.signatureUrl())) {
                violations.add(new Violation(Violation.pointer(at, "mud-signature"),
                        "must be the URL the signature is served at: " + location.signatureUrl()));
            }
        }
        OffsetDateTime lastUpdate = required(mud, at, "last-update")
                ? dateTime(mud.get("last-update"), Violation.pointer(at, "last-update"))
                : null;
        Long cacheValidity = mud.containsKey("cache-validity")
                ? integer(mud.get("cache-validity"), Violation.pointer(at, "cache-validity"), 1, 168)
                : Long.valueOf(MudFile.DEFAULT_CACHE_VALIDITY_HOURS);
        Boolean supported = required(mud, at, "is-supported")
                ? bool(mud.get("is-supported"), Violation.pointer(at, "is-supported"))
                : null;
        String systemInfo = mud.containsKey("systeminfo")
                ? boundedText(mud.get("systeminfo"), Violation.pointer(at, "systeminfo"), 60)
                : null;
        for (String name : List.of("mfg-name", "model-name", "firmware-rev", "software-rev")) {
            if (mud.containsKey(name)) {
                boundedText(mud.get(name), Violation.pointer(at, name), 255);
            }
        }
        if (mud.containsKey("documentation")) {
            uri(mud.get("documentation"), Violation.pointer(at, "documentation"));
        }
        List<Acl> fromDevice = policy(mud.get("from-device-policy"), Violation.pointer(at, "from-device-policy"),
                acls);
        List<Acl> toDevice = policy(mud.get("to-device-policy"), Violation.pointer(at, "to-device-policy"), acls);
        if (!violations.isEmpty()) {
            return null;
        }
        return new MudFile(mudUrl, lastUpdate, cacheValidity.intValue(), supported, systemInfo,
                fromDevice.stream().map(Acl::acl).toList(), toDevice.stream().map(Acl::acl).toList());
    }

    /** An ACL while validating: whether a policy referenced it is tracked to report unresolved names. */
    private record Acl(MudFile.Acl acl) {
    }

    private Set<String> extensions(Object value, String at) {
        Set<String> names = new HashSet<>();
        if (value == null) {
            return names;
        }
        List<Object> list = array(value, at);
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                String name = boundedText(list.get(i), Violation.pointer(at, i), 40);
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private List<Acl> policy(Object value, String at, Map<String, Acl> acls) {
        List<Acl> attached = new ArrayList<>();
        if (value == null) {
            return attached;
        }
        Map<String, Object> policy = object(value, at);
        if (policy == null || !required(policy, at, "access-lists")) {
            return attached;
        }
        unknownMembers(policy, at, Set.of("access-lists"));
        String listsAt = Violation.pointer(at, "access-lists");
        Map<String, Object> lists = object(policy.get("access-lists"), listsAt);
        if (lists == null || !required(lists, listsAt, "access-list")) {
            return attached;
        }
        unknownMembers(lists, listsAt, Set.of("access-list"));
        String listAt = Violation.pointer(listsAt, "access-list");
        List<Object> list = array(lists.get("access-list"), listAt);
        if (list == null) {
            return attached;
        }
        for (int i = 0; i < list.size(); i++) {
            String entryAt = Violation.pointer(listAt, i);
            Map<String, Object> entry = object(list.get(i), entryAt);
            if (entry == null || !required(entry, entryAt, "name")) {
                continue;
            }
            unknownMembers(entry, entryAt, Set.of("name"));
            String name = text(entry.get("name"), Violation.pointer(entryAt, "name"));
            if (name == null) {
                continue;
            }
            if (!acls.containsKey(name)) {
                violations.add(new Violation(Violation.pointer(entryAt, "name"),
                        "no ACL named '" + name + "' in " + ACLS));
            } else if (acls.get(name) != null) {
                Acl acl = acls.get(name);
                attached.add(acl);
                dnsNamesFitDirection(acl, at.endsWith("from-device-policy"), Violation.pointer(entryAt, "name"));
            }
        }
        return attached;
    }

    /**
     * RFC 8520 §8.1: the remote end of a from-device ACL is the destination, so it may name a
     * {@code dst-dnsname} but no {@code src-dnsname}; the other way round for to-device ACLs.
     */
    private void dnsNamesFitDirection(Acl acl, boolean fromDevice, String at) {
        for (MudFile.Ace ace : acl.acl().aces()) {
            String misplaced = fromDevice ? ace.srcDnsName() : ace.dstDnsName();
            if (misplaced != null) {
                violations.add(new Violation(at, "ACL '" + acl.acl().name() + "' (ACE '" + ace.name() + "') names the "
                        + (fromDevice ? "source" : "destination") + " by DNS name, which is the device in a "
                        + (fromDevice ? "from-device" : "to-device") + " policy (RFC 8520 §8.1)"));
            }
        }
    }

    /** ACLs by name; a name maps to null when its ACL has problems (reported already). */
    private Map<String, Acl> acls(Object value, String at) {
        Map<String, Acl> byName = new LinkedHashMap<>();
        if (value == null) {
            return byName;
        }
        Map<String, Object> container = object(value, at);
        if (container == null || !required(container, at, "acl")) {
            return byName;
        }
        unknownMembers(container, at, Set.of("acl"));
        String listAt = Violation.pointer(at, "acl");
        List<Object> list = array(container.get("acl"), listAt);
        if (list == null) {
            return byName;
        }
        if (list.size() > MAX_ACLS) {
            violations.add(new Violation(listAt, "at most " + MAX_ACLS + " ACLs per MUD file"));
            return byName;
        }
        for (int i = 0; i < list.size(); i++) {
            String aclAt = Violation.pointer(listAt, i);
            Map<String, Object> acl = object(list.get(i), aclAt);
            if (acl == null || !required(acl, aclAt, "name")) {
                continue;
            }
            unknownMembers(acl, aclAt, Set.of("name", "type", "aces"));
            String name = boundedText(acl.get("name"), Violation.pointer(aclAt, "name"), 64);
            if (name == null) {
                continue;
            }
            if (byName.containsKey(name)) {
                violations.add(new Violation(Violation.pointer(aclAt, "name"), "ACL name used twice: " + name));
                continue;
            }
            int before = violations.size();
            MudFile.Family family = required(acl, aclAt, "type")
                    ? family(acl.get("type"), Violation.pointer(aclAt,
                            "type"))
                    : null;
            List<MudFile.Ace> aces = family == null
                    ? List.of()
                    : aces(acl.get("aces"), Violation.pointer(aclAt,
                            "aces"), family);
            byName.put(name, violations.size() == before ? new Acl(new MudFile.Acl(name, family, aces)) : null);
        }
        return byName;
    }

    private MudFile.Family family(Object value, String at) {
        String type = withoutPrefix(text(value, at), ACL_PREFIX);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "ipv4-acl-type" -> MudFile.Family.IPV4;
            case "ipv6-acl-type" -> MudFile.Family.IPV6;
            default -> {
                violations.add(new Violation(at, "ACL type must be ipv4-acl-type or ipv6-acl-type, was '" + type
                        + "' (Ethernet and mixed ACLs are not enforced by this MUD manager)"));
                yield null;
            }
        };
    }

    private List<MudFile.Ace> aces(Object value, String at, MudFile.Family family) {
        List<MudFile.Ace> aces = new ArrayList<>();
        Map<String, Object> container = object(value, at);
        if (container == null || !required(container, at, "ace")) {
            return aces;
        }
        unknownMembers(container, at, Set.of("ace"));
        String listAt = Violation.pointer(at, "ace");
        List<Object> list = array(container.get("ace"), listAt);
        if (list == null) {
            return aces;
        }
        aceCount += list.size();
        if (aceCount > MAX_ACES) {
            violations.add(new Violation(listAt, "at most " + MAX_ACES + " ACEs per MUD file"));
            return aces;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String aceAt = Violation.pointer(listAt, i);
            Map<String, Object> ace = object(list.get(i), aceAt);
            if (ace == null) {
                continue;
            }
            unknownMembers(ace, aceAt, Set.of("name", "matches", "actions"));
            String name = required(ace, aceAt, "name")
                    ? boundedText(ace.get("name"), Violation.pointer(aceAt, "name"), 64)
                    : null;
            if (name != null && !names.add(name)) {
                violations.add(new Violation(Violation.pointer(aceAt, "name"), "ACE name used twice: " + name));
            }
            String forwarding = required(ace, aceAt, "actions")
                    ? forwarding(ace.get("actions"), Violation.pointer(aceAt, "actions"))
                    : null;
            AceBuilder matches = new AceBuilder();
            if (required(ace, aceAt, "matches")) {
                matches(ace.get("matches"), Violation.pointer(aceAt, "matches"), family, matches);
            }
            aces.add(new MudFile.Ace(name, matches.protocol, matches.srcNetwork, matches.dstNetwork,
                    matches.srcDnsName, matches.dstDnsName, matches.srcPort, matches.dstPort, matches.icmpType,
                    matches.icmpCode, matches.initiatedBy, matches.abstraction, forwarding));
        }
        return aces;
    }

    /** The matches of one ACE as they are read. */
    private static final class AceBuilder {

        Integer protocol;
        String srcNetwork;
        String dstNetwork;
        String srcDnsName;
        String dstDnsName;
        MudFile.PortRange srcPort;
        MudFile.PortRange dstPort;
        Integer icmpType;
        Integer icmpCode;
        String initiatedBy;
        MudFile.Abstraction abstraction;
    }

    private String forwarding(Object value, String at) {
        Map<String, Object> actions = object(value, at);
        if (actions == null || !required(actions, at, "forwarding")) {
            return null;
        }
        unknownMembers(actions, at, Set.of("forwarding", "logging"));
        if (actions.containsKey("logging")) {
            String logging = withoutPrefix(text(actions.get("logging"), Violation.pointer(at, "logging")), ACL_PREFIX);
            if (logging != null && !Set.of("log-syslog", "log-none").contains(logging)) {
                violations.add(new Violation(Violation.pointer(at, "logging"), "must be log-syslog or log-none"));
            }
        }
        String forwarding = withoutPrefix(text(actions.get("forwarding"), Violation.pointer(at, "forwarding")),
                ACL_PREFIX);
        if (forwarding != null && !FORWARDING.contains(forwarding)) {
            violations.add(new Violation(Violation.pointer(at, "forwarding"),
                    "must be accept, drop or reject (RFC 8519 §4.1), was '" + forwarding + "'"));
            return null;
        }
        return forwarding;
    }

    private void matches(Object value, String at, MudFile.Family family, AceBuilder ace) {
        Map<String, Object> matches = object(value, at);
        if (matches == null) {
            return;
        }
        String ipMember = family == MudFile.Family.IPV4 ? "ipv4" : "ipv6";
        for (String member : matches.keySet()) {
            String memberAt = Violation.pointer(at, member);
            switch (member) {
                case "ipv4", "ipv6" -> {
                    if (!member.equals(ipMember)) {
                        violations.add(new Violation(memberAt, "an " + family.label() + " ACL cannot match " + member));
                    } else {
                        ip(matches.get(member), memberAt, family, ace);
                    }
                }
                case "tcp" -> transport(matches.get(member), memberAt, true, ace);
                case "udp" -> transport(matches.get(member), memberAt, false, ace);
                case "icmp" -> icmp(matches.get(member), memberAt, ace);
                case "ietf-mud:mud" -> abstraction(matches.get(member), memberAt, ace);
                default -> violations.add(new Violation(memberAt, "unsupported match '" + member
                        + "' (supported: " + ipMember + ", tcp, udp, icmp, ietf-mud:mud)"));
            }
        }
        long layer4 = matches.keySet().stream().filter(Set.of("tcp", "udp", "icmp")::contains).count();
        if (layer4 > 1) {
            violations.add(new Violation(at, "at most one of tcp, udp and icmp may be matched (RFC 8519 §4.1)"));
        } else if (layer4 == 1) {
            int implied = matches.containsKey("tcp")
                    ? 6
                    : matches.containsKey("udp")
                            ? 17
                            : family == MudFile.Family.IPV4 ? 1 : 58;
            if (ace.protocol != null && ace.protocol != implied) {
                violations.add(new Violation(Violation.pointer(Violation.pointer(at, ipMember), "protocol"),
                        "protocol " + ace.protocol + " contradicts the layer-4 match (" + implied + ")"));
            }
            ace.protocol = implied;
        }
        boolean remoteNamed = ace.srcNetwork != null || ace.dstNetwork != null || ace.srcDnsName != null
                || ace.dstDnsName != null;
        if (ace.abstraction != null && remoteNamed) {
            violations.add(new Violation(Violation.pointer(at, "ietf-mud:mud"), "a MUD abstraction names the remote "
                    + "end itself and cannot be combined with a DNS name or network in the same ACE"));
        }
        if (ace.initiatedBy != null && !matches.containsKey("tcp")) {
            violations.add(new Violation(at, "ietf-mud:direction-initiated applies to tcp matches only"));
        }
    }

    private void ip(Object value, String at, MudFile.Family family, AceBuilder ace) {
        Map<String, Object> ip = object(value, at);
        if (ip == null) {
            return;
        }
        String v = family == MudFile.Family.IPV4 ? "ipv4" : "ipv6";
        String srcNetwork = "source-" + v + "-network";
        String dstNetwork = "destination-" + v + "-network";
        for (String member : ip.keySet()) {
            String memberAt = Violation.pointer(at, member);
            String name = withoutPrefix(member, DNS_PREFIX);
            if ("protocol".equals(member)) {
                Long protocol = integer(ip.get(member), memberAt, 0, 255);
                ace.protocol = protocol == null ? null : protocol.intValue();
            } else if (srcNetwork.equals(member)) {
                ace.srcNetwork = prefix(ip.get(member), memberAt, family);
            } else if (dstNetwork.equals(member)) {
                ace.dstNetwork = prefix(ip.get(member), memberAt, family);
            } else if (member.startsWith(DNS_PREFIX) && "src-dnsname".equals(name)) {
                ace.srcDnsName = hostName(ip.get(member), memberAt);
            } else if (member.startsWith(DNS_PREFIX) && "dst-dnsname".equals(name)) {
                ace.dstDnsName = hostName(ip.get(member), memberAt);
            } else {
                violations.add(new Violation(memberAt, "unsupported " + v + " match '" + member
                        + "' (supported: protocol, " + srcNetwork + ", " + dstNetwork
                        + ", ietf-acldns:src-dnsname, ietf-acldns:dst-dnsname)"));
            }
        }
        // RFC 8520 §8.1: a DNS name and a network for the same end cannot both be given.
        if (ace.srcDnsName != null && ace.srcNetwork != null) {
            violations.add(new Violation(at, "ietf-acldns:src-dnsname and " + srcNetwork + " exclude each other"));
        }
        if (ace.dstDnsName != null && ace.dstNetwork != null) {
            violations.add(new Violation(at, "ietf-acldns:dst-dnsname and " + dstNetwork + " exclude each other"));
        }
    }

    private void transport(Object value, String at, boolean tcp, AceBuilder ace) {
        Map<String, Object> transport = object(value, at);
        if (transport == null) {
            return;
        }
        for (String member : transport.keySet()) {
            String memberAt = Violation.pointer(at, member);
            switch (member) {
                case "source-port" -> ace.srcPort = port(transport.get(member), memberAt);
                case "destination-port" -> ace.dstPort = port(transport.get(member), memberAt);
                case "ietf-mud:direction-initiated" -> {
                    String direction = tcp ? text(transport.get(member), memberAt) : null;
                    if (!tcp) {
                        violations.add(new Violation(memberAt, "direction-initiated applies to tcp only"));
                    } else if (direction != null && !Set.of("from-device", "to-device").contains(direction)) {
                        violations.add(new Violation(memberAt, "must be from-device or to-device, was '"
                                + direction + "'"));
                    } else {
                        ace.initiatedBy = direction;
                    }
                }
                default -> violations.add(new Violation(memberAt, "unsupported " + (tcp ? "tcp" : "udp")
                        + " match '" + member + "' (supported: source-port, destination-port"
                        + (tcp ? ", ietf-mud:direction-initiated)" : ")")));
            }
        }
    }

    private void icmp(Object value, String at, AceBuilder ace) {
        Map<String, Object> icmp = object(value, at);
        if (icmp == null) {
            return;
        }
        unknownMembers(icmp, at, Set.of("type", "code"));
        if (icmp.containsKey("type")) {
            Long type = integer(icmp.get("type"), Violation.pointer(at, "type"), 0, 255);
            ace.icmpType = type == null ? null : type.intValue();
        }
        if (icmp.containsKey("code")) {
            Long code = integer(icmp.get("code"), Violation.pointer(at, "code"), 0, 255);
            ace.icmpCode = code == null ? null : code.intValue();
            if (!icmp.containsKey("type")) {
                violations.add(new Violation(Violation.pointer(at, "code"), "an ICMP code needs a type"));
            }
        }
    }

    private MudFile.PortRange port(Object value, String at) {
        Map<String, Object> port = object(value, at);
        if (port == null) {
            return null;
        }
        if (port.containsKey("lower-port") || port.containsKey("upper-port")) {
            unknownMembers(port, at, Set.of("lower-port", "upper-port"));
            Long lower = required(port, at, "lower-port")
                    ? integer(port.get("lower-port"), Violation.pointer(at, "lower-port"), 0, 65535)
                    : null;
            Long upper = required(port, at, "upper-port")
                    ? integer(port.get("upper-port"), Violation.pointer(at, "upper-port"), 0, 65535)
                    : null;
            if (lower == null || upper == null) {
                return null;
            }
            if (lower > upper) {
                violations.add(new Violation(at, "lower-port must not exceed upper-port (RFC 8519 §4.1)"));
                return null;
            }
            return new MudFile.PortRange("range", null, lower.intValue(), upper.intValue());
        }
        unknownMembers(port, at, Set.of("operator", "port"));
        String operator = port.containsKey("operator")
                ? text(port.get("operator"), Violation.pointer(at,
                        "operator"))
                : "eq";
        if (operator != null && !PORT_OPERATORS.contains(operator)) {
            violations.add(new Violation(Violation.pointer(at, "operator"), "must be eq, neq, lte or gte, was '"
                    + operator + "'"));
            return null;
        }
        Long number = required(port, at, "port")
                ? integer(port.get("port"), Violation.pointer(at, "port"), 0, 65535)
                : null;
        return operator == null || number == null
                ? null
                : new MudFile.PortRange(operator, number.intValue(), null,
                        null);
    }

    private void abstraction(Object value, String at, AceBuilder ace) {
        Map<String, Object> mud = object(value, at);
        if (mud == null) {
            return;
        }
        if (mud.size() != 1) {
            violations.add(new Violation(at, "exactly one MUD abstraction per ACE (RFC 8520 §8)"));
            return;
        }
        String kind = mud.keySet().iterator().next();
        String kindAt = Violation.pointer(at, kind);
        if (ABSTRACTIONS_WITH_VALUE.contains(kind)) {
            // RFC 8520 Appendix A names controllers by URN (urn:ietf:params:mud:dns, ...ntp).
            String target = switch (kind) {
                case "manufacturer" -> hostName(mud.get(kind), kindAt);
                case "controller" -> uri(mud.get(kind), kindAt, false);
                default -> uri(mud.get(kind), kindAt);
            };
            ace.abstraction = target == null ? null : new MudFile.Abstraction(kind, target);
        } else if (ABSTRACTIONS_EMPTY.contains(kind)) {
            // YANG "empty" in JSON is [null] (RFC 7951 §6.9).
            if (!(mud.get(kind) instanceof List<?> list) || list.size() != 1 || list.get(0) != null) {
                violations.add(new Violation(kindAt, "must be [null] (a YANG empty leaf, RFC 7951 §6.9)"));
            } else {
                ace.abstraction = new MudFile.Abstraction(kind, null);
            }
        } else {
            violations.add(new Violation(kindAt, "unknown MUD abstraction (RFC 8520 §8: manufacturer, "
                    + "same-manufacturer, model, local-networks, controller, my-controller)"));
        }
    }

    // --- leaves --------------------------------------------------------------------------------------

    private boolean required(Map<String, Object> object, String at, String member) {
        if (!object.containsKey(member)) {
            violations.add(new Violation(Violation.pointer(at, member), "required member is missing"));
            return false;
        }
        return true;
    }

    private void unknownMembers(Map<String, Object> object, String at, Set<String> known) {
        for (String member : object.keySet()) {
            if (!known.contains(member)) {
                violations.add(new Violation(Violation.pointer(at, member), "unknown member"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object value, String at) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        violations.add(new Violation(at, "must be a JSON object"));
        return null;
    }

    @SuppressWarnings("unchecked")
    private List<Object> array(Object value, String at) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        violations.add(new Violation(at, "must be a JSON array"));
        return null;
    }

    private String text(Object value, String at) {
        if (value instanceof String text) {
            return text;
        }
        violations.add(new Violation(at, "must be a string"));
        return null;
    }

    private String boundedText(Object value, String at, int maxLength) {
        String text = text(value, at);
        if (text != null && (text.isEmpty() || text.length() > maxLength)) {
            violations.add(new Violation(at, "must be 1 to " + maxLength + " characters"));
            return null;
        }
        return text;
    }

    private Boolean bool(Object value, String at) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        violations.add(new Violation(at, "must be true or false"));
        return null;
    }

    private Long integer(Object value, String at, long min, long max) {
        BigInteger number = null;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            number = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            number = big;
        } else if (value instanceof BigDecimal decimal) {
            // Compared as a decimal first: 1e999999999 is an integer too, and expanding it would take minutes.
            if (decimal.compareTo(BigDecimal.valueOf(min)) < 0 || decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
                violations.add(new Violation(at, "must be between " + min + " and " + max));
                return null;
            }
            if (decimal.stripTrailingZeros().scale() <= 0) {
                number = decimal.toBigIntegerExact();
            }
        }
        if (number == null) {
            violations.add(new Violation(at, "must be an integer"));
            return null;
        }
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            violations.add(new Violation(at, "must be between " + min + " and " + max + ", was " + number));
            return null;
        }
        return number.longValue();
    }

    private OffsetDateTime dateTime(Object value, String at) {
        String text = text(value, at);
        if (text == null) {
            return null;
        }
        try {
            // YANG date-and-time (RFC 6991 §3) is RFC 3339 with a mandatory offset.
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            violations.add(new Violation(at, "must be an RFC 3339 date and time with an offset, e.g. "
                    + "2026-11-23T10:00:00Z"));
            return null;
        }
    }

    private String uri(Object value, String at) {
        return uri(value, at, true);
    }

    /** An absolute URI; {@code withHost} false also takes a URN such as {@code urn:ietf:params:mud:ntp}. */
    private String uri(Object value, String at, boolean withHost) {
        String text = text(value, at);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || (withHost
                    ? uri.getRawAuthority() == null
                    : !uri.isOpaque()
                            && uri.getRawAuthority() == null)) {
                violations.add(new Violation(at, withHost
                        ? "must be an absolute URI with a host"
                        : "must be an absolute URI (a URL with a host, or a URN)"));
                return null;
            }
            return text;
        } catch (URISyntaxException e) {
            violations.add(new Violation(at, "must be a URI (RFC 3986)"));
            return null;
        }
    }

    /**
     * A DNS name as {@code inet:domain-name} (RFC 6991 §4) writes it: labels of letters, digits, '_' and inner
     * hyphens, up to 253 characters, an optional trailing dot, a last label that is not all digits.
     * ({@code inet:host} would also take an IP address; a network match says that better, so an address
     * here is refused.)
     */
    private String hostName(Object value, String at) {
        String text = text(value, at);
        if (text == null) {
            return null;
        }
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        boolean valid = !name.isEmpty() && name.length() <= 253;
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            valid &= DNS_LABEL.matcher(label).matches();
        }
        // An all-numeric last label makes it an IPv4 address (RFC 3696 §2), which a network match says better.
        valid &= !labels[labels.length - 1].matches("[0-9]+");
        if (!valid) {
            violations.add(new Violation(at, "'" + text + "' is not a valid DNS name (RFC 6991 inet:domain-name)"));
            return null;
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private String prefix(Object value, String at, MudFile.Family family) {
        String text = text(value, at);
        if (text == null) {
            return null;
        }
        try {
            return IpPrefix.parse(text, family).toString();
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(at, e.getMessage()));
            return null;
        }
    }

    private static String withoutPrefix(String value, String prefix) {
        return value != null && value.startsWith(prefix) ? value.substring(prefix.length()) : value;
    }
}
