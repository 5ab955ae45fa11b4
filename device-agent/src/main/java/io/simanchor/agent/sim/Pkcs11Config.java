package io.simanchor.agent.sim;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the SIM's key is, for the PKCS#11 adapter: the vendor's IoT SAFE PKCS#11 library (SoftHSM2 in
 * tests), the token by slot id or label, the key's alias (its certificate's {@code CKA_LABEL}, as Java's
 * SunPKCS11 key store names it), and where the PIN comes from (never the command line).
 *
 * @param library path of the PKCS#11 module
 * @param slot slot id, if the token is chosen by slot
 * @param tokenLabel token label, if the token is chosen by label (the default: the first slot with a token)
 * @param keyAlias alias of the private key
 * @param pin the user PIN's source
 */
public record Pkcs11Config(Path library, OptionalLong slot, Optional<String> tokenLabel, String keyAlias,
        PinSource pin) {

    public Pkcs11Config {
        if (slot.isPresent() && tokenLabel.isPresent()) {
            throw new IllegalArgumentException("choose the token by slot or by label, not both");
        }
        if (keyAlias == null || keyAlias.isBlank()) {
            throw new IllegalArgumentException("a key alias is required");
        }
    }
}
