package io.simanchor.support.http;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.Problem;
import io.simanchor.support.problem.ProblemException;
import io.simanchor.support.problem.ProblemType;
import io.simanchor.support.ratelimit.RateLimitedException;

/**
 * Turns every failure of a REST endpoint into an RFC 9457 {@code application/problem+json} response
 * with a stable type. Like Keycloak's error handler: 5xx is logged at ERROR with the cause, everything
 * else at DEBUG, and no response ever carries a stack trace, a class name or a parser message.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.type(), e.getMessage(), e);
    }

    /** RFC 6585 §4: 429 says how long to wait (RFC 9110 §10.2.3), so clients back off instead of hammering. */
    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e) {
        return Response.fromResponse(respond(e.type(), e.getMessage(), e))
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .build();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return respond(CommonProblems.UNKNOWN_FIELD, "Unknown field '" + e.getPropertyName() + "'", e);
    }

    /** Quarkus maps this subtype itself, with a body that is not problem+json; this mapper is more specific. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return respond(CommonProblems.MALFORMED_REQUEST, "The body is not the JSON this endpoint expects", e);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthenticatedResponse();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticatedResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(CommonProblems.FORBIDDEN, null, e);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        ProblemType type;
        if (e instanceof NotFoundException) {
            type = CommonProblems.NOT_FOUND;
        } else if (e instanceof NotAllowedException) {
            type = CommonProblems.METHOD_NOT_ALLOWED;
        } else if (e instanceof NotSupportedException) {
            type = CommonProblems.UNSUPPORTED_MEDIA_TYPE;
        } else if (e instanceof NotAcceptableException) {
            type = CommonProblems.NOT_ACCEPTABLE;
        } else if (e.getResponse().getStatus() == 413) {
            type = CommonProblems.BODY_TOO_LARGE;
        } else {
            type = e.getResponse().getStatus() >= 500
                    ? CommonProblems.INTERNAL_ERROR
                    : CommonProblems.MALFORMED_REQUEST;
        }
        return respond(type, null, e);
    }

    @ServerExceptionMapper
    public Response databaseUnavailable(PersistenceException e) {
        if (e.refusedAValue()) {
            // The request's fault (most often a NUL character in a path segment or a JSON string), not an
            // outage: no Retry-After, and no warning that the database is down. Logged as a warning all the
            // same: a value the service itself built wrongly would show here too.
            LOG.warnf("Request refused, the database refused a value in it [problem: %s, cause: %s]",
                    CommonProblems.INVALID_VALUE.code(), e.getMessage());
            return problemResponse(CommonProblems.INVALID_VALUE, null);
        }
        // An outage, not a bug: one line per request without a stack trace, or a hung database would fill
        // the log with the same trace for every request it refuses.
        LOG.warnf("Request refused, database unavailable [problem: %s, cause: %s]",
                CommonProblems.UNAVAILABLE.code(), e.getMessage());
        // RFC 9110 §10.2.3: tell clients when a retry makes sense instead of letting them hammer.
        return Response.fromResponse(problemResponse(CommonProblems.UNAVAILABLE, null))
                .header(HttpHeaders.RETRY_AFTER, "1")
                .build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        return respond(CommonProblems.INTERNAL_ERROR, null, e);
    }

    private static Response unauthenticatedResponse() {
        // RFC 6750 §3: a protected resource answers 401 with a Bearer challenge.
        return Response.fromResponse(respond(CommonProblems.UNAUTHENTICATED, null, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    static Response respond(ProblemType type, String detail, Throwable cause) {
        if (type.status() >= 500) {
            LOG.errorf(cause, "Request failed [problem: %s]", type.code());
        } else {
            LOG.debugf("Request refused [problem: %s, detail: %s]", type.code(), detail);
        }
        return problemResponse(type, detail);
    }

    private static Response problemResponse(ProblemType type, String detail) {
        return Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, detail))
                .build();
    }
}
