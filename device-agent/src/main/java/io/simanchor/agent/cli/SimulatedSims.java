package io.simanchor.agent.cli;

import java.security.SecureRandom;

/** Identifiers of the SIMs and devices the fleet simulator makes up. */
final class SimulatedSims {

    /** Manufacturer of every simulated device. */
    static final String MANUFACTURER = "SIM Anchor Simulated Devices";

    private SimulatedSims() {
    }

    /** A 19-digit test ICCID: 89 (telecom), 882 (international, no country), random rest. */
    static String iccid(SecureRandom random) {
        return "89882" + digits(random, 14);
    }

    /** A random 15-digit IMEI. */
    static String imei(SecureRandom random) {
        return digits(random, 15);
    }

    private static String digits(SecureRandom random, int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }
}
