package io.simanchor.attestation.api.rest;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.simanchor.attestation.domain.AttestationService;
import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.ProblemType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Evidence the HTTP layer refuses before {@link AttestationResource} sees it (platform-support's
 * BodySizeLimit: 411 and 413; RESTEasy: 415) is a refusal of evidence like any other, so it raises its
 * security event too (docs/problems.md). The answer's status says which: those three come from nowhere
 * else on this path, so no refusal is counted twice.
 */
@ApplicationScoped
public class EvidenceRefusalEvents {

    private static final String EVIDENCE_PATH = "/api/v1/attestation/evidence";
    private static final Map<Integer, ProblemType> REFUSED_AT_THE_DOOR = Map.of(
            CommonProblems.LENGTH_REQUIRED.status(), CommonProblems.LENGTH_REQUIRED,
            CommonProblems.BODY_TOO_LARGE.status(), CommonProblems.BODY_TOO_LARGE,
            CommonProblems.UNSUPPORTED_MEDIA_TYPE.status(), CommonProblems.UNSUPPORTED_MEDIA_TYPE);

    private final AttestationService attestation;

    EvidenceRefusalEvents(AttestationService attestation) {
        this.attestation = attestation;
    }

    /** Before BodySizeLimit (order MIN_VALUE + 100), so the hook is in place when it answers. */
    void install(@Observes Router router) {
        router.route(EVIDENCE_PATH).order(Integer.MIN_VALUE + 50).handler(this::watch);
    }

    private void watch(RoutingContext context) {
        context.addHeadersEndHandler(ignored -> {
            ProblemType refusal = REFUSED_AT_THE_DOOR.get(context.response().getStatusCode());
            if (refusal != null) {
                attestation.refusedBeforeReading(refusal);
            }
        });
        context.next();
    }
}
