package io.simanchor.token.domain;

import java.util.Map;

/** Signs access tokens with the current token signing key (ES256, {@code typ: at+jwt}, {@code kid}). */
public interface AccessTokenSigner {

    /** The compact JWS of {@code claims}. */
    String sign(Map<String, Object> claims);
}
