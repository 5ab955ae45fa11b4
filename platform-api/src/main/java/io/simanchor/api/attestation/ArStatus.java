package io.simanchor.api.attestation;

import java.util.Locale;

/**
 * EAR appraisal status, the trust tier of the worst claim in the trustworthiness vector
 * (draft-ietf-rats-ear §3.2; tiers from draft-ietf-rats-ar4si §2.3.3).
 */
public enum ArStatus {

    NONE(0),
    AFFIRMING(2),
    WARNING(32),
    CONTRAINDICATED(96);

    private final int tierValue;

    ArStatus(int tierValue) {
        this.tierValue = tierValue;
    }

    /** The tier a trustworthiness claim value falls in: 2..31 affirming, 32..95 warning, 96..127 contraindicated. */
    public static ArStatus ofClaim(int value) {
        if (value >= 96) {
            return CONTRAINDICATED;
        }
        if (value >= 32) {
            return WARNING;
        }
        if (value >= 2) {
            return AFFIRMING;
        }
        return NONE;
    }

    /** The value the EAR carries in {@code ear.status}. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The numeric tier (none 0, affirming 2, warning 32, contraindicated 96). */
    public int tierValue() {
        return tierValue;
    }
}
