package io.simanchor.identity.api.grpc;

import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.simanchor.api.identity.v1.CreateChallengeRequest;
import io.simanchor.api.identity.v1.EnrollRequest;
import io.simanchor.api.identity.v1.EnrollResponse;
import io.simanchor.api.identity.v1.Enrollment;
import io.simanchor.api.identity.v1.EnrollmentChallenge;
import io.simanchor.identity.domain.EnrollmentService;
import io.simanchor.identity.domain.Iccid;
import io.simanchor.identity.domain.IssuedChallenge;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.problem.CommonProblems;
import io.simanchor.support.problem.ProblemException;
import io.simanchor.support.problem.ProblemType;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** {@code simanchor.identity.v1.Enrollment}: a thin transport over the same {@link EnrollmentService} as REST. */
@GrpcService
public class EnrollmentGrpcService implements Enrollment {

    private static final Logger LOG = Logger.getLogger(EnrollmentGrpcService.class);

    /** Trailer carrying the RFC 9457 problem type URI of the failure, as on the REST API. */
    static final Metadata.Key<String> PROBLEM_TYPE = Metadata.Key.of("simanchor-problem-type",
            Metadata.ASCII_STRING_MARSHALLER);

    private final EnrollmentService enrollment;

    EnrollmentGrpcService(EnrollmentService enrollment) {
        this.enrollment = enrollment;
    }

    @Override
    // No @Blocking: issuing a challenge touches no database.
    public Uni<EnrollmentChallenge> createChallenge(CreateChallengeRequest request) {
        return call(() -> {
            IssuedChallenge challenge = enrollment.createChallenge(new Iccid(request.getIccid()));
            return EnrollmentChallenge.newBuilder()
                    .setChallengeId(challenge.id())
                    .setNonce(challenge.nonce())
                    .setExpiresAt(challenge.expiresAt().toString())
                    .build();
        });
    }

    @Override
    @Blocking
    public Uni<EnrollResponse> enroll(EnrollRequest request) {
        return call(() -> {
            EnrollmentService.Enrollment result = enrollment.enroll(request.getChallengeId(), request.getCsrPem());
            return EnrollResponse.newBuilder()
                    .setDeviceId(result.deviceId())
                    .setCertificateChainPem(result.certificateChainPem())
                    .setMudUrl(result.mudUrl())
                    .build();
        });
    }

    private static <T> Uni<T> call(Supplier<T> work) {
        try {
            return Uni.createFrom().item(work.get());
        } catch (ProblemException e) {
            return Uni.createFrom().failure(toStatus(e.type(), e.getMessage()));
        } catch (PersistenceException e) {
            // A value the database refused is the request's fault (INVALID_ARGUMENT); an outage is worth a
            // retry (UNAVAILABLE); anything else is a bug (INTERNAL, logged with its trace).
            if (!e.refusedAValue() && !e.isTransient()) {
                LOG.error("Enrollment over gRPC failed", e);
                return Uni.createFrom().failure(toStatus(CommonProblems.INTERNAL_ERROR, null));
            }
            ProblemType problem = e.isTransient() ? CommonProblems.UNAVAILABLE : CommonProblems.INVALID_VALUE;
            LOG.warnf("Enrollment over gRPC refused [problem: %s, cause: %s]", problem.code(), e.getMessage());
            return Uni.createFrom().failure(toStatus(problem, null));
        } catch (RuntimeException e) {
            LOG.error("Enrollment over gRPC failed", e);
            return Uni.createFrom().failure(toStatus(CommonProblems.INTERNAL_ERROR, null));
        }
    }

    /** The gRPC status of a problem, with the problem type URI in a trailer (DESIGN.md §6). */
    static StatusRuntimeException toStatus(ProblemType type, String detail) {
        Status status = switch (type.status()) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.ALREADY_EXISTS;
            case 413, 429 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            default -> type.status() < 500 ? Status.FAILED_PRECONDITION : Status.INTERNAL;
        };
        Metadata trailers = new Metadata();
        trailers.put(PROBLEM_TYPE, type.uri().toString());
        return status.withDescription(detail == null ? type.title() : detail).asRuntimeException(trailers);
    }
}
