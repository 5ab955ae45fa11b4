package io.simanchor.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;

import io.simanchor.agent.http.HttpCallException;
import io.simanchor.agent.http.JsonHttp;
import io.simanchor.api.mud.MudUrls;

/**
 * The fleet's network policies (issue 6): an operator uploads the MUD files of the fleet's models to
 * mud-service before the devices enroll, and after they attested (and one was revoked) the run shows each
 * device's effective policy as mud-service's MUD manager derived it from the events.
 */
final class FleetMudPolicies {

    /** How long the MUD manager has to reflect a device's latest state (issue 6: within 5 s). */
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * @param mudUrl mud-service's base URL
     * @param files MUD files to upload; a file's name without {@code .json} is its model
     */
    record Settings(URI mudUrl, List<Path> files) {
    }

    private final Settings settings;
    private final PrintStream out;

    FleetMudPolicies(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Uploads the MUD files (an unchanged file is accepted again without a new version). */
    void upload(JsonHttp http, String operatorToken) {
        for (Path file : settings.files()) {
            String model = file.getFileName().toString().replaceFirst("\\.json$", "");
            URI url = settings.mudUrl()
                    .resolve("/api/v1/admin/mud/" + MudUrls.pathSegment(SimulatedSims.MANUFACTURER)
                            + "/" + MudUrls.pathSegment(model));
            String content;
            try {
                content = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the MUD file " + file, e);
            }
            JsonNode stored;
            try {
                stored = Await.result(http.text(JsonHttp.Call.of("PUT", url, Optional.of(operatorToken)),
                        "application/mud+json", content, 201));
                out.printf("  MUD file for %s stored as version %s, signed: %s%n", model, stored.path("version"),
                        stored.path("mudUrl").asText());
            } catch (CompletionException | HttpCallException e) {
                Throwable cause = Await.causeOf(e);
                if (cause instanceof HttpCallException call && call.status() == 200) {
                    out.printf("  MUD file for %s unchanged (already stored)%n", model);
                } else {
                    throw new IllegalStateException("uploading the MUD file " + file + " failed: " + cause.getMessage(),
                            cause);
                }
            }
        }
    }

    /**
     * Waits until every device's effective policy reflects its state and prints them.
     *
     * @return how many devices did not get the expected policy within the limit, and the tiers
     */
    FleetEnrollment.Result show(JsonHttp http, String operatorToken, List<FleetAttestation.Attestation> attested,
            Optional<String> revoked) {
        out.printf("%n  Effective network policies (mud-service MUD manager, %s)%n", settings.mudUrl());
        out.printf("    %-38s %-16s %-8s %-14s %-5s %s%n", "device id", "EAR status", "state", "tier", "rules",
                "reasons");
        Map<String, Integer> tiers = new LinkedHashMap<>();
        int unexpected = 0;
        JsonNode example = null;
        for (FleetAttestation.Attestation device : attested) {
            boolean isRevoked = revoked.filter(device.deviceId()::equals).isPresent();
            String expected = isRevoked ? "deny-all" : switch (device.status()) {
                case "affirming" -> "mud";
                case "warning" -> "platform-only";
                default -> "quarantine";
            };
            JsonNode policy = await(http, operatorToken, device.deviceId(), expected);
            String tier = policy == null ? "(none)" : policy.path("tier").asText();
            tiers.merge(tier, 1, Integer::sum);
            unexpected += tier.equals(expected) ? 0 : 1;
            out.printf("    %-38s %-16s %-8s %-14s %-5s %s%n", device.deviceId(), device.status(),
                    policy == null ? "?" : policy.path("basis").path("deviceState").asText(), tier,
                    policy == null ? "-" : policy.path("rules").size(),
                    policy == null ? "" : policy.path("reasons").toString());
            if (example == null && policy != null && "mud".equals(tier)) {
                example = policy;
            }
        }
        out.printf("%n  Policies by tier: %s%s%n", tiers, unexpected == 0 ? "" : " (" + unexpected + " unexpected)");
        if (example != null) {
            out.printf("  Rules of %s (from %s):%n", example.path("deviceId").asText(),
                    example.path("basis").path("mudUrl").asText());
            for (JsonNode rule : example.path("rules")) {
                out.printf("    %-40s %-11s %-6s %s%n", rule.path("name").asText(), rule.path("direction").asText(),
                        rule.path("action").asText(), describe(rule));
            }
        }
        return new FleetEnrollment.Result(unexpected, Map.of("mudPolicyTiers", tiers));
    }

    private static String describe(JsonNode rule) {
        StringBuilder text = new StringBuilder();
        if (rule.has("remoteHosts")) {
            text.append(rule.path("remoteHosts").toString()).append(' ');
        }
        if (rule.has("peerGroup")) {
            text.append(rule.path("peerGroup").path("kind").asText()).append(" peers ");
        }
        int protocol = rule.path("protocol").asInt(-1);
        text.append(protocol == 6 ? "tcp" : protocol == 17 ? "udp" : protocol < 0 ? "any" : "proto " + protocol);
        if (rule.has("remotePort")) {
            text.append(" port ").append(rule.path("remotePort").path("port").asText());
        }
        if (rule.has("devicePort")) {
            text.append(" device port ").append(rule.path("devicePort").path("port").asText());
        }
        if (rule.has("initiatedBy")) {
            text.append(", opened by ").append(rule.path("initiatedBy").asText());
        }
        return text.toString();
    }

    /** The device's policy once its tier is {@code expected}, or the last one seen after the limit. */
    private JsonNode await(JsonHttp http, String operatorToken, String deviceId, String expected) {
        URI url = settings.mudUrl().resolve("/api/v1/admin/devices/" + MudUrls.pathSegment(deviceId) + "/policy");
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode last = null;
        while (true) {
            try {
                last = Await.result(http.get(JsonHttp.Call.of("GET", url, Optional.of(operatorToken)), 200));
                if (expected.equals(last.path("tier").asText())) {
                    return last;
                }
            } catch (RuntimeException e) {
                if (!(Await.causeOf(e) instanceof HttpCallException call && call.status() == 404)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                return last;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
    }
}
