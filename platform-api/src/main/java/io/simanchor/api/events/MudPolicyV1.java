package io.simanchor.api.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The network policy in force for one device, as mud-service's MUD manager derived it from the device's
 * model MUD file (RFC 8520), its lifecycle state and its latest attestation result. Topic
 * {@link Topics#MUD_POLICIES} (compacted), key = device id: the latest record is the device's policy.
 * Enforcement points (gateways, firewalls) accept what a rule allows and drop everything else.
 *
 * @param deviceId the device
 * @param tenantId its tenant
 * @param manufacturer its manufacturer, as registered
 * @param hwModel its hardware model
 * @param version increases by one with every change of this device's policy; never repeats
 * @param tier which policy applies: {@link #TIER_MUD}, {@link #TIER_PLATFORM_ONLY}, {@link #TIER_QUARANTINE},
 *        {@link #TIER_DENY_ALL} or {@link #TIER_NO_MUD_FILE}
 * @param basis the facts the tier was derived from
 * @param rules what the device may exchange, in order; anything no rule accepts is dropped
 * @param reasons why the tier applies, e.g. {@code ATTESTATION_CONTRAINDICATED}, {@code DEVICE_REVOKED}
 * @param effectiveAt when the manager derived this version
 */
public record MudPolicyV1(
        String deviceId,
        String tenantId,
        String manufacturer,
        String hwModel,
        long version,
        String tier,
        Basis basis,
        List<Rule> rules,
        List<String> reasons,
        Instant effectiveAt) {

    /** CloudEvents {@code ce_type} of this record. */
    public static final String TYPE = "simanchor.mud.policy-changed.v1";

    /** The model's MUD file: the device is active and its latest attestation is affirming. */
    public static final String TIER_MUD = "mud";
    /** Only platform endpoints (attestation, tokens, updates, ...): the latest attestation is a warning. */
    public static final String TIER_PLATFORM_ONLY = "platform-only";
    /** Only the attestation and update endpoints: contraindicated, or never attested. */
    public static final String TIER_QUARANTINE = "quarantine";
    /** Nothing: the device is suspended, revoked or gone. */
    public static final String TIER_DENY_ALL = "deny-all";
    /** The configured default, because no MUD file exists for the model. */
    public static final String TIER_NO_MUD_FILE = "no-mud-file";

    /**
     * @param deviceState the lifecycle state ({@code ACTIVE}, {@code SUSPENDED}, {@code REVOKED})
     * @param attestationStatus the latest {@code ear.status}, or null when the device never attested
     * @param attestationPolicyId the appraisal policy of that result, or null
     * @param mudUrl the model's MUD URL, when a MUD file exists
     * @param mudFileVersion the version of the MUD file the rules come from, or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Basis(String deviceState, String attestationStatus, String attestationPolicyId, String mudUrl,
            Integer mudFileVersion) {
    }

    /**
     * One rule, seen from the device: {@code direction} {@code from-device} matches packets the device sends
     * (the remote end is their destination), {@code to-device} packets it receives (the remote end is their
     * source). Absent members match anything.
     *
     * @param name where the rule comes from: {@code <acl>/<ace>} of the MUD file, or {@code platform:<endpoint>}
     * @param direction {@code from-device} or {@code to-device}
     * @param action {@code accept}, {@code drop} or {@code reject}
     * @param family {@code ipv4} or {@code ipv6}, or null for both (a platform endpoint named by DNS)
     * @param protocol IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6), or null for any
     * @param remoteHosts DNS names of the remote end (RFC 8520 §8.1: resolved by the enforcement point)
     * @param remoteNetworks remote prefixes in CIDR notation, including expanded abstractions
     * @param peerGroup devices of the platform the remote end must belong to, or null
     * @param remotePort port match on the remote end, or null
     * @param devicePort port match on the device's end, or null
     * @param icmpType ICMP type to match, or null for any
     * @param icmpCode ICMP code to match, or null for any
     * @param initiatedBy {@code device} or {@code remote} when only connections that side opens match
     *        ({@code ietf-mud:direction-initiated}), or null for any packet
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(String name, String direction, String action, String family, Integer protocol,
            List<String> remoteHosts, List<String> remoteNetworks, PeerGroup peerGroup, PortMatch remotePort,
            PortMatch devicePort, Integer icmpType, Integer icmpCode, String initiatedBy) {
    }

    /**
     * Devices a MUD abstraction names (RFC 8520 §8): {@code same-manufacturer} (devices whose registered
     * manufacturer is {@code selector}), {@code manufacturer} (devices whose MUD URL authority is the domain
     * {@code selector}) or {@code model} (devices whose MUD URL is {@code selector}). Device addresses belong to the mobile network, so the enforcement point maps the
     * group's devices to addresses from its own sessions.
     */
    public record PeerGroup(String kind, String selector) {
    }

    /**
     * A port match as RFC 8519 writes it: {@code operator} {@code eq}, {@code neq}, {@code lte} or {@code gte}
     * with {@code port}, or {@code range} with {@code lowerPort}..{@code upperPort}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PortMatch(String operator, Integer port, Integer lowerPort, Integer upperPort) {
    }
}
