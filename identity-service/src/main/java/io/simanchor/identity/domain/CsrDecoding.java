package io.simanchor.identity.domain;

import io.simanchor.support.crypto.CryptoInputException;
import io.simanchor.support.crypto.Csr;
import io.simanchor.support.problem.ProblemException;
import io.simanchor.support.problem.ProblemType;

/** Decodes a CSR from a client and turns every structural refusal into the matching problem. */
final class CsrDecoding {

    private CsrDecoding() {
    }

    static Csr decode(String pem) {
        try {
            return Csr.fromPem(pem);
        } catch (CryptoInputException e) {
            throw new ProblemException(problemFor(e.reason()), e.getMessage());
        }
    }

    static ProblemType problemFor(CryptoInputException.Reason reason) {
        return switch (reason) {
            case KEY_TYPE_UNSUPPORTED, CURVE_UNSUPPORTED -> IdentityProblems.KEY_UNSUPPORTED;
            case INVALID_CURVE_POINT -> IdentityProblems.INVALID_CURVE_POINT;
            case PEM_MALFORMED, PEM_WRONG_LABEL, DER_MALFORMED, SIGNATURE_ALGORITHM_UNSUPPORTED ->
                IdentityProblems.CSR_MALFORMED;
        };
    }
}
