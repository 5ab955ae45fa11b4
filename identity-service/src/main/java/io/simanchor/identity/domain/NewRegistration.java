package io.simanchor.identity.domain;

import java.util.Objects;
import java.util.Optional;

import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.problem.ProblemException;

/**
 * A registration to create, validated.
 *
 * @param tenantId owning tenant
 * @param iccid the SIM's ICCID
 * @param imei 15 digit IMEI (3GPP TS 23.003 §6.2.1)
 * @param hwModel hardware model, 1 to 64 characters of [A-Za-z0-9._-]
 * @param manufacturer 1 to 128 printable characters
 * @param simKey optional vendor-endorsed SIM key
 */
public record NewRegistration(
        String tenantId,
        Iccid iccid,
        String imei,
        String hwModel,
        String manufacturer,
        Optional<EcPublicKey> simKey) {

    public NewRegistration {
        Objects.requireNonNull(iccid, "iccid");
        require(tenantId != null && tenantId.matches("[a-z0-9][a-z0-9-]{0,62}"), "tenantId",
                "lowercase letters, digits and '-'");
        require(imei != null && imei.matches("[0-9]{15}"), "imei", "15 digits");
        require(hwModel != null && hwModel.matches("[A-Za-z0-9._-]{1,64}"), "hwModel",
                "1 to 64 of letters, digits, '.', '_' and '-'");
        // "." and ".." would be dot-segments of the MUD URL (RFC 3986 §3.3, also percent-encoded: §6.2.2.2), which
        // a client removes, naming another resource than the model's file.
        require(manufacturer != null && !manufacturer.isBlank() && manufacturer.length() <= 128
                && manufacturer.chars().noneMatch(Character::isISOControl) && !manufacturer.equals(".")
                && !manufacturer.equals(".."), "manufacturer", "1 to 128 printable characters, not '.' or '..'");
        simKey = simKey == null ? Optional.empty() : simKey;
    }

    private static void require(boolean valid, String field, String expected) {
        if (!valid) {
            throw new ProblemException(IdentityProblems.INVALID_FIELD, "'" + field + "' must be " + expected);
        }
    }

    /** Whether an existing registration holds exactly this data (a re-upload changes nothing). */
    public boolean sameAs(Registration existing) {
        return tenantId.equals(existing.tenantId()) && iccid.equals(existing.iccid()) && imei.equals(existing.imei())
                && hwModel.equals(existing.hwModel()) && manufacturer.equals(existing.manufacturer())
                && simKey.equals(existing.simKey());
    }
}
