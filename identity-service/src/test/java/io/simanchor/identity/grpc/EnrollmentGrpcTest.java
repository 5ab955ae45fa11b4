package io.simanchor.identity.grpc;

import static io.simanchor.identity.testing.IdentityApi.givenRegistered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URL;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.api.identity.v1.CreateChallengeRequest;
import io.simanchor.api.identity.v1.EnrollRequest;
import io.simanchor.api.identity.v1.EnrollResponse;
import io.simanchor.api.identity.v1.EnrollmentChallenge;
import io.simanchor.api.identity.v1.EnrollmentGrpc;
import io.simanchor.identity.testing.TestDevice;

/** Enrollment over gRPC on the HTTP port, with the same rules and problem types as REST. */
@QuarkusTest
class EnrollmentGrpcTest {

    @TestHTTPResource
    URL http;

    private ManagedChannel channel;
    private EnrollmentGrpc.EnrollmentBlockingStub enrollment;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext().build();
        enrollment = EnrollmentGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void device_enrolls_over_grpc() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);

        EnrollmentChallenge challenge = enrollment
                .createChallenge(CreateChallengeRequest.newBuilder().setIccid(device.iccid()).build());
        EnrollResponse response = enrollment.enroll(EnrollRequest.newBuilder()
                .setChallengeId(challenge.getChallengeId())
                .setCsrPem(device.csr(challenge.getNonce()))
                .build());

        assertThat(response.getDeviceId()).isNotBlank();
        assertThat(response.getCertificateChainPem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void replayed_challenge_maps_to_invalid_argument_with_the_problem_type() {
        TestDevice device = TestDevice.p256();
        givenRegistered(device);
        EnrollmentChallenge challenge = enrollment
                .createChallenge(CreateChallengeRequest.newBuilder().setIccid(device.iccid()).build());
        EnrollRequest request = EnrollRequest.newBuilder()
                .setChallengeId(challenge.getChallengeId())
                .setCsrPem(device.csr(challenge.getNonce()))
                .build();
        enrollment.enroll(request);

        StatusRuntimeException replay = catchThrowableOfType(StatusRuntimeException.class,
                () -> enrollment.enroll(request));
        assertThat(replay.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(
                replay.getTrailers().get(Metadata.Key.of("simanchor-problem-type", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("https://simanchor.io/problems/challenge-invalid");
    }
}
