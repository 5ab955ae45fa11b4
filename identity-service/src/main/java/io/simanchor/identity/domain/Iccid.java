package io.simanchor.identity.domain;

import io.simanchor.support.problem.ProblemException;

/**
 * The ICCID of a SIM (ITU-T E.118): the key of a registration. Never used as a device's external
 * identifier (GSMA CLP.13 7.8); devices get a random id at enrollment.
 *
 * @param value 18 to 22 decimal digits
 */
public record Iccid(String value) {

    public Iccid {
        if (value == null || !value.matches("[0-9]{18,22}")) {
            throw new ProblemException(IdentityProblems.INVALID_ICCID, "An ICCID has 18 to 22 digits");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
