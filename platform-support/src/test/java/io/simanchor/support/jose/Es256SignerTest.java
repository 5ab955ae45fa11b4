package io.simanchor.support.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;

import io.simanchor.support.crypto.EcPublicKey;

/** The platform's own JWTs: what the strict parser and an independent verifier (Nimbus) accept. */
class Es256SignerTest {

    private final KeyPair key = ecKey("secp256r1");

    @Test
    void signs_a_compact_jws_the_strict_parser_and_nimbus_accept() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "device-1");
        claims.put("iat", 1_800_000_000L);
        claims.put("cnf", Map.of("jkt", "thumbprint"));
        claims.put("aud", List.of("a", "b"));

        String token = new Es256Signer(key.getPrivate(), "at+jwt", "key-1", new SecureRandom()).sign(claims);

        StrictJws jws = StrictJws.parse(token, 4096);
        assertThat(jws.header().alg()).isEqualTo("ES256");
        assertThat(jws.header().typ()).isEqualTo("at+jwt");
        assertThat(jws.header().kid()).isEqualTo("key-1");
        assertThat(jws.payloadObject()).containsEntry("sub", "device-1")
                .containsEntry("iat", 1_800_000_000)
                .containsEntry("cnf", Map.of("jkt", "thumbprint"))
                .containsEntry("aud", List.of("a", "b"));
        assertThat(Es256Jws.verifies(EcPublicKey.of(key.getPublic()), jws.signingInput(), jws.signature())).isTrue();
        assertThat(JWSObject.parse(token).verify(new ECDSAVerifier((ECPublicKey) key.getPublic()))).isTrue();
    }

    @Test
    void signs_a_detached_jws_nimbus_verifies_over_the_payload_and_nothing_else() throws Exception {
        byte[] payload = "{\"device\":{\"deviceId\":\"d-1\"}}".getBytes(StandardCharsets.UTF_8);

        String detached = new Es256Signer(key.getPrivate(), "simanchor-record+jws", "key-1", new SecureRandom())
                .signDetached(payload);

        assertThat(detached).matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+");
        ECDSAVerifier nimbus = new ECDSAVerifier((ECPublicKey) key.getPublic());
        assertThat(JWSObject.parse(detached, new Payload(payload)).verify(nimbus)).isTrue();
        StrictJws jws = StrictJws.parseDetached(detached, payload, 1024);
        assertThat(Es256Jws.verifies(EcPublicKey.of(key.getPublic()), jws.signingInput(), jws.signature())).isTrue();
        byte[] changed = "{\"device\":{\"deviceId\":\"d-2\"}}".getBytes(StandardCharsets.UTF_8);
        StrictJws other = StrictJws.parseDetached(detached, changed, 1024);
        assertThat(Es256Jws.verifies(EcPublicKey.of(key.getPublic()), other.signingInput(), other.signature()))
                .isFalse();
    }

    @Test
    void a_detached_jws_must_have_an_empty_payload_part() {
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        String compact = new Es256Signer(key.getPrivate(), "at+jwt", "k", new SecureRandom()).sign(Map.of());

        for (String bad : List.of(compact, "..", "a..b.c", "a.b", "", "a...b")) {
            assertThatThrownBy(() -> StrictJws.parseDetached(bad, payload, 1024))
                    .as(bad)
                    .isInstanceOf(MalformedJwsException.class);
        }
    }

    @Test
    void refuses_a_key_that_is_not_p256() {
        KeyPair p384 = ecKey("secp384r1");

        assertThatThrownBy(() -> new Es256Signer(p384.getPrivate(), "at+jwt", "k", new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static KeyPair ecKey(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(curve + " key generation unavailable", e);
        }
    }
}
