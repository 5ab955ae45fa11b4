package io.simanchor.identity.api.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.simanchor.identity.domain.KeyRotationService;
import io.smallrye.common.annotation.Blocking;

/**
 * Key rotation by the device: authenticated by a signature of its current key (see
 * {@link KeyRotationService#proofMessage}), not by an operator token.
 */
@Path("/api/v1/devices/{deviceId}")
@PermitAll // devices: authenticated by the proof of the current key
@Blocking
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class KeyRotationResource {

    private final KeyRotationService rotation;

    KeyRotationResource(KeyRotationService rotation) {
        this.rotation = rotation;
    }

    /** Body of a key rotation. */
    public record KeyRotationRequest(String challengeId, String csr, String proof) {
    }

    @POST
    @Path("/key-rotation/challenges")
    @Consumes(MediaType.WILDCARD) // no body: the device id in the path is all it takes
    public Response createChallenge(@PathParam("deviceId") String deviceId) {
        return Response.status(Response.Status.CREATED)
                .entity(EnrollmentResource.ChallengeResponse.of(rotation.createChallenge(deviceId)))
                .build();
    }

    @POST
    @Path("/key-rotations")
    public EnrollmentResource.EnrollmentResponse rotate(@PathParam("deviceId") String deviceId,
            KeyRotationRequest request) {
        Requests.require(request != null && request.challengeId() != null, "challengeId");
        Requests.require(request.csr() != null, "csr");
        Requests.require(request.proof() != null, "proof");
        return EnrollmentResource.EnrollmentResponse
                .of(rotation.rotate(deviceId, request.challengeId(), request.csr(), request.proof()));
    }
}
