package io.simanchor.mud.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.simanchor.api.events.MudPolicyV1;

/**
 * A device's policy as the calculator derives it, before it gets a version: what is compared to decide
 * whether anything changed.
 */
public record DerivedPolicy(String tier, MudPolicyV1.Basis basis, List<MudPolicyV1.Rule> rules, List<String> reasons) {

    /**
     * SHA-256 over everything that makes the policy (records print all their components in a fixed order),
     * so that deriving the same policy again is recognised as no change, here and in another instance.
     */
    public String digest() {
        return digestWith();
    }

    /** The digest of this policy for a device with these identifying facts (tenant, manufacturer, model). */
    public String digestWith(String... device) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((toString() + String.join("\u0000", device)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
