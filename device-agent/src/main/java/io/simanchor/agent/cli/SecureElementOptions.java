package io.simanchor.agent.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.simanchor.agent.sim.Delays;
import io.simanchor.agent.sim.FaultInjection;
import io.simanchor.agent.sim.PinSource;
import io.simanchor.agent.sim.Pkcs11Config;
import io.simanchor.agent.sim.Pkcs11SecureElement;
import io.simanchor.agent.sim.SecureElement;
import io.simanchor.agent.sim.SimLatencyModel;
import io.simanchor.agent.sim.SimulatedIotSafe;

/** The options that choose and configure the secure element. */
final class SecureElementOptions {

    static final String PIN_VARIABLE = "SIMANCHOR_SIM_PIN";
    static final Set<String> NAMES = Set.of("sim", "pkcs11-library", "pkcs11-slot", "pkcs11-token-label",
            "pkcs11-key-alias", "pkcs11-pin-file", "sim-faults");
    static final String HELP = """
                --sim KIND             the secure element: pkcs11 (the SIM through its PKCS#11 library),
                                       iot-safe-model (a software key behind the measured SIM latencies)
                                       or software (a software key; development only)
                --pkcs11-library PATH  the IoT SAFE PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so)
                --pkcs11-slot ID       the token's slot id (default: the first slot with a token)
                --pkcs11-token-label L or the token's label
                --pkcs11-key-alias A   the key's alias (its certificate's label; default iot-safe-key)
                --pkcs11-pin-file FILE read the PIN from FILE's first line
                env SIMANCHOR_SIM_PIN  or the PIN from this variable (never from an argument)
                --sim-faults SHARE     iot-safe-model: share of operations that fail, spread evenly
                                       over CKR_DEVICE_ERROR, CKR_SESSION_HANDLE_INVALID and
                                       CKR_DEVICE_REMOVED (default 0)
            """;

    private SecureElementOptions() {
    }

    /** The kind chosen, {@code fallback} when none is. */
    static String kind(Options options, String fallback) {
        String kind = options.get("sim", fallback);
        if (!Set.of("pkcs11", "software", "iot-safe-model").contains(kind)) {
            throw new IllegalArgumentException("--sim must be pkcs11, iot-safe-model or software");
        }
        return kind;
    }

    /** The PKCS#11 configuration of the options. */
    static Pkcs11Config pkcs11(Options options, Map<String, String> environment) {
        Path library = Path.of(options.get("pkcs11-library")
                .orElseThrow(() -> new IllegalArgumentException("--sim pkcs11 needs --pkcs11-library")));
        OptionalLong slot = options.has("pkcs11-slot") ? OptionalLong.of(slotId(options)) : OptionalLong.empty();
        PinSource pin = options.get("pkcs11-pin-file")
                .map(file -> PinSource.file(Path.of(file)))
                .orElse(PinSource.environment(PIN_VARIABLE, environment));
        return new Pkcs11Config(library, slot, options.get("pkcs11-token-label"),
                options.get("pkcs11-key-alias", "iot-safe-key"), pin);
    }

    /** A PKCS#11 slot id: a CK_SLOT_ID, 0 or more, which SoftHSM2 draws from the whole unsigned range. */
    private static long slotId(Options options) {
        try {
            return Long.parseUnsignedLong(options.get("pkcs11-slot").orElseThrow());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--pkcs11-slot must be a slot id (a whole number, 0 or more)");
        }
    }

    /** Opens a PKCS#11 element as configured. */
    static SecureElement openPkcs11(Options options, Map<String, String> environment) {
        return Pkcs11SecureElement.open(pkcs11(options, environment));
    }

    /** The simulated SIM around {@code key}, with the options' fault injection. */
    static SimulatedIotSafe simulated(Options options, SecureElement key, SimulatedIotSafe.Sessions sessions,
            Delays delays) {
        return new SimulatedIotSafe(key, SimLatencyModel.STUDY,
                FaultInjection.pkcs11Errors(options.share("sim-faults", 0) / 3), sessions, delays,
                new SecureRandom());
    }
}
