package io.simanchor.mud.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import io.simanchor.api.events.DeviceState;
import io.simanchor.api.events.MudPolicyV1;
import io.simanchor.api.events.MudPolicyV1.PeerGroup;
import io.simanchor.api.events.MudPolicyV1.PortMatch;
import io.simanchor.api.events.MudPolicyV1.Rule;

/**
 * Derives a device's effective network policy. A MUD manager in the field applies a model's MUD file to
 * every device of the model (RFC 8520 §1.6); this one also follows each device's lifecycle and attested
 * state:
 * <ul>
 * <li>suspended or revoked → deny-all;</li>
 * <li>active and affirming → the model's MUD file, its abstractions expanded (RFC 8520 §8), or the
 * configured default when the model has no MUD file;</li>
 * <li>active with a warning → only the platform's endpoints;</li>
 * <li>active and contraindicated, or never attested with its current key → quarantine: only the
 * attestation and update endpoints, so it can prove itself again and be repaired.</li>
 * </ul>
 * A rule whose abstraction cannot be expanded (an unconfigured controller) is left out: what is not
 * allowed is dropped, so a missing fact never widens the policy.
 */
public final class PolicyCalculator {

    private final PolicySettings settings;

    public PolicyCalculator(PolicySettings settings) {
        this.settings = settings;
    }

    /** The policy of {@code device}, whose model's current MUD file is {@code model} if it has one. */
    public DerivedPolicy derive(DeviceFacts device, Optional<ModelPolicy> model) {
        String status = device.attestation() == null ? null : device.attestation().status();
        String policyId = device.attestation() == null ? null : device.attestation().policyId();
        MudPolicyV1.Basis basis = new MudPolicyV1.Basis(device.state().name(), status, policyId,
                model.map(ModelPolicy::mudUrl).orElse(null), model.map(ModelPolicy::version).orElse(null));
        if (device.state() != DeviceState.ACTIVE) {
            return new DerivedPolicy(MudPolicyV1.TIER_DENY_ALL, basis, List.of(), List.of("DEVICE_" + device.state()));
        }
        if (status == null) {
            return quarantine(basis, "NOT_ATTESTED");
        }
        return switch (status) {
            case "affirming" -> model.map(file -> mud(device, file, basis)).orElseGet(() -> noMudFile(basis));
            case "warning" -> new DerivedPolicy(MudPolicyV1.TIER_PLATFORM_ONLY, basis,
                    endpointRules(endpoint -> true), List.of("ATTESTATION_WARNING"));
            // contraindicated, none (the verifier could not appraise), or a status this version does not know
            default -> quarantine(basis, "ATTESTATION_" + status.toUpperCase(Locale.ROOT).replace('-', '_'));
        };
    }

    private DerivedPolicy quarantine(MudPolicyV1.Basis basis, String reason) {
        return new DerivedPolicy(MudPolicyV1.TIER_QUARANTINE, basis,
                endpointRules(endpoint -> settings.quarantineEndpoints().contains(endpoint.name())), List.of(reason));
    }

    private DerivedPolicy noMudFile(MudPolicyV1.Basis basis) {
        List<Rule> rules = MudPolicyV1.TIER_PLATFORM_ONLY.equals(settings.noMudFileTier())
                ? endpointRules(endpoint -> true)
                : List.of();
        return new DerivedPolicy(MudPolicyV1.TIER_NO_MUD_FILE, basis, rules, List.of("MUD_FILE_MISSING"));
    }

    private DerivedPolicy mud(DeviceFacts device, ModelPolicy model, MudPolicyV1.Basis basis) {
        List<Rule> rules = new ArrayList<>();
        List<String> reasons = new ArrayList<>(List.of("ATTESTATION_AFFIRMING"));
        for (MudFile.Acl acl : model.file().fromDevice()) {
            for (MudFile.Ace ace : acl.aces()) {
                rule(device, acl, ace, true, reasons).ifPresent(rules::add);
            }
        }
        for (MudFile.Acl acl : model.file().toDevice()) {
            for (MudFile.Ace ace : acl.aces()) {
                rule(device, acl, ace, false, reasons).ifPresent(rules::add);
            }
        }
        return new DerivedPolicy(MudPolicyV1.TIER_MUD, basis, rules, List.copyOf(reasons));
    }

    /** One ACE seen from the device: in a from-device ACL the remote end is the destination. */
    private Optional<Rule> rule(DeviceFacts device, MudFile.Acl acl, MudFile.Ace ace, boolean fromDevice,
            List<String> reasons) {
        String remoteHost = fromDevice ? ace.dstDnsName() : ace.srcDnsName();
        String remoteNetwork = fromDevice ? ace.dstNetwork() : ace.srcNetwork();
        List<String> hosts = remoteHost == null ? new ArrayList<>() : new ArrayList<>(List.of(remoteHost));
        List<String> networks = remoteNetwork == null ? new ArrayList<>() : new ArrayList<>(List.of(remoteNetwork));
        PeerGroup peers = null;
        MudFile.Abstraction abstraction = ace.abstraction();
        if (abstraction != null) {
            switch (abstraction.kind()) {
                case "same-manufacturer" -> peers = new PeerGroup("same-manufacturer", device.manufacturer());
                case "manufacturer" -> peers = new PeerGroup("manufacturer", abstraction.value());
                case "model" -> peers = new PeerGroup("model", abstraction.value());
                case "local-networks" -> networks.addAll(ofFamily(settings.localNetworks(), acl.family()));
                case "controller", "my-controller" -> {
                    List<String> targets = "controller".equals(abstraction.kind())
                            ? settings.controllers().get(abstraction.value())
                            : settings.myControllers().get(device.hwModel());
                    if (targets == null || targets.isEmpty()) {
                        // Unknown controller: leave the rule out; what is not allowed is dropped.
                        reasons.add(("controller".equals(abstraction.kind()) ? "CONTROLLER" : "MY_CONTROLLER")
                                + "_NOT_CONFIGURED");
                        return Optional.empty();
                    }
                    for (String target : targets) {
                        (target.contains("/") ? networks : hosts).add(target);
                    }
                    networks.retainAll(ofFamily(networks, acl.family()));
                }
                default -> throw new IllegalStateException("validated abstraction: " + abstraction.kind());
            }
            if (peers == null && hosts.isEmpty() && networks.isEmpty()) {
                // The abstraction stands for nothing of this IP version: without a remote end the rule would
                // match any remote, so it is left out instead.
                reasons.add(abstraction.kind().toUpperCase(Locale.ROOT).replace('-', '_') + "_EXPANDS_TO_NOTHING");
                return Optional.empty();
            }
        }
        String initiatedBy = ace.initiatedBy() == null
                ? null
                : ace.initiatedBy().equals("from-device") ? "device" : "remote";
        return Optional.of(new Rule(acl.name() + "/" + ace.name(), fromDevice ? "from-device" : "to-device",
                ace.forwarding(), acl.family().label(), ace.protocol(), hosts.isEmpty() ? null : List.copyOf(hosts),
                networks.isEmpty() ? null : List.copyOf(networks), peers,
                port(fromDevice ? ace.dstPort() : ace.srcPort()), port(fromDevice ? ace.srcPort() : ace.dstPort()),
                ace.icmpType(), ace.icmpCode(), initiatedBy));
    }

    private List<Rule> endpointRules(Predicate<PolicySettings.Endpoint> selected) {
        List<Rule> rules = new ArrayList<>();
        for (PolicySettings.Endpoint endpoint : settings.platformEndpoints()) {
            if (!selected.test(endpoint)) {
                continue;
            }
            boolean network = endpoint.target().contains("/");
            String family = network ? (endpoint.target().contains(":") ? "ipv6" : "ipv4") : null;
            rules.add(new Rule("platform:" + endpoint.name(), "from-device", "accept", family, 6,
                    network ? null : List.of(endpoint.target()), network ? List.of(endpoint.target()) : null, null,
                    new PortMatch("eq", endpoint.port(), null, null), null, null, null, "device"));
        }
        return rules;
    }

    private static List<String> ofFamily(List<String> prefixes, MudFile.Family family) {
        return prefixes.stream()
                .filter(prefix -> prefix.contains(":") == (family == MudFile.Family.IPV6))
                .toList();
    }

    private static PortMatch port(MudFile.PortRange range) {
        return range == null
                ? null
                : new PortMatch(range.operator(), range.port(), range.lowerPort(), range.upperPort());
    }
}
