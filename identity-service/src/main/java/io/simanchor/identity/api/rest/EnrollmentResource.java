package io.simanchor.identity.api.rest;

import java.net.URI;
import java.time.Instant;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.simanchor.identity.domain.EnrollmentService;
import io.simanchor.identity.domain.Iccid;
import io.simanchor.identity.domain.IssuedChallenge;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

/**
 * Device enrollment over REST (unauthenticated: the device proves itself with its SIM key). The gRPC
 * {@code simanchor.identity.v1.Enrollment} service calls the same {@link EnrollmentService}.
 */
@Path("/api/v1")
@PermitAll // devices: authenticated by the SIM key that signs the CSR
@Blocking
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EnrollmentResource {

    private final EnrollmentService enrollment;

    EnrollmentResource(EnrollmentService enrollment) {
        this.enrollment = enrollment;
    }

    /** Body of a challenge request. */
    public record ChallengeRequest(String iccid) {
    }

    /** A challenge. */
    public record ChallengeResponse(String challengeId, String nonce, Instant expiresAt) {

        static ChallengeResponse of(IssuedChallenge challenge) {
            return new ChallengeResponse(challenge.id(), challenge.nonce(), challenge.expiresAt());
        }
    }

    /** Body of an enrollment. */
    public record EnrollmentRequest(String challengeId, String csr) {
    }

    /** The enrolled device. */
    public record EnrollmentResponse(String deviceId, String certificateChain, String mudUrl) {

        static EnrollmentResponse of(EnrollmentService.Enrollment enrollment) {
            return new EnrollmentResponse(enrollment.deviceId(), enrollment.certificateChainPem(), enrollment.mudUrl());
        }
    }

    /** Issuing a challenge touches no database (stateless challenges), so it stays on the event loop. */
    @POST
    @Path("/enrollment/challenges")
    @NonBlocking
    public Response createChallenge(ChallengeRequest request) {
        Requests.require(request != null, "body");
        IssuedChallenge challenge = enrollment.createChallenge(new Iccid(request.iccid()));
        return Response.status(Response.Status.CREATED).entity(ChallengeResponse.of(challenge)).build();
    }

    @POST
    @Path("/enrollments")
    public Response enroll(EnrollmentRequest request) {
        Requests.require(request != null && request.challengeId() != null, "challengeId");
        Requests.require(request.csr() != null, "csr");
        EnrollmentService.Enrollment result = enrollment.enroll(request.challengeId(), request.csr());
        return Response.created(URI.create("/api/v1/admin/devices/" + result.deviceId()))
                .entity(EnrollmentResponse.of(result))
                .build();
    }
}
