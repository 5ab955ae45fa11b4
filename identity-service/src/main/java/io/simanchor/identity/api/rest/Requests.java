package io.simanchor.identity.api.rest;

import io.simanchor.identity.domain.IdentityProblems;
import io.simanchor.support.problem.ProblemException;

/** Presence checks on request bodies, answered with {@code INVALID_FIELD}. */
final class Requests {

    private Requests() {
    }

    static void require(boolean present, String field) {
        if (!present) {
            throw new ProblemException(IdentityProblems.INVALID_FIELD, "'" + field + "' is required");
        }
    }
}
