package io.simanchor.token.infra.persistence;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.crypto.CryptoProviders;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.token.domain.SigningKey;
import io.simanchor.token.domain.SigningKeyRing;
import io.simanchor.token.infra.crypto.KeyEncryption;
import io.simanchor.token.infra.crypto.SigningKeyStore;

/**
 * The signing-key ring in table {@code signing_key}, private keys encrypted ({@link KeyEncryption}).
 * Changes run under a transaction-scoped advisory lock, so two instances rotating at the same moment
 * rotate once: the second sees the first one's result and finds nothing due.
 */
public final class PgSigningKeys implements SigningKeyStore {

    /** Advisory lock key: "simanchor token keys". */
    private static final long KEYS_LOCK = 0x5349_4d41_4f42_0014L;

    private final Jdbc jdbc;
    private final KeyEncryption encryption;
    private final AuditWriter audit;

    public PgSigningKeys(Jdbc jdbc, KeyEncryption encryption, AuditWriter audit) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.audit = audit;
    }

    @Override
    public SigningKeyRing load() {
        return jdbc.read(this::load);
    }

    @Override
    public SigningKeyRing change(UnaryOperator<SigningKeyRing> change, Optional<String> auditAs, Instant now) {
        return jdbc.inTransaction(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, KEYS_LOCK);
                lock.execute();
            }
            SigningKeyRing before = load(connection);
            SigningKeyRing after = change.apply(before);
            if (after != before) {
                store(connection, after);
                if (auditAs.isPresent()) {
                    audit.append(connection, new AuditEntry(now, auditAs.get(), "signing-key.rotate", null,
                            after.current().map(SigningKey::keyId).orElse(""),
                            Map.of("previous", before.current().map(SigningKey::keyId).orElse(""))));
                }
            }
            return after;
        });
    }

    private SigningKeyRing load(Connection connection) throws SQLException {
        List<SigningKey> keys = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select kid, state, public_key, "
                + "private_key_encrypted, created_at, activated_at, unpublish_at from signing_key order by created_at, kid");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String kid = rows.getString("kid");
                EcPublicKey publicKey = EcPublicKey.fromSpki(rows.getBytes("public_key"));
                PrivateKey privateKey = privateKey(encryption.decrypt(rows.getBytes("private_key_encrypted"), kid));
                keys.add(new SigningKey(kid, SigningKey.State.valueOf(rows.getString("state")),
                        new KeyPair(publicKey.jcaKey(), privateKey), rows.getTimestamp("created_at").toInstant(),
                        instant(rows.getTimestamp("activated_at")), instant(rows.getTimestamp("unpublish_at"))));
            }
        }
        return new SigningKeyRing(keys);
    }

    private void store(Connection connection, SigningKeyRing ring) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from signing_key")) {
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("insert into signing_key (kid, state, "
                + "public_key, private_key_encrypted, created_at, activated_at, unpublish_at) "
                + "values (?, ?, ?, ?, ?, ?, ?)")) {
            for (SigningKey key : ring.keys()) {
                insert.setString(1, key.keyId());
                insert.setString(2, key.state().name());
                insert.setBytes(3, key.keyPair().getPublic().getEncoded());
                insert.setBytes(4, encryption.encrypt(key.keyPair().getPrivate().getEncoded(), key.keyId()));
                insert.setTimestamp(5, Timestamp.from(key.createdAt()));
                insert.setTimestamp(6, key.activatedAt().map(Timestamp::from).orElse(null));
                insert.setTimestamp(7, key.unpublishAt().map(Timestamp::from).orElse(null));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("EC", CryptoProviders.p256()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key is not a PKCS#8 EC key", e);
        }
    }

    private static Optional<Instant> instant(Timestamp timestamp) {
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }
}
