package io.simanchor.identity.infra.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.identity.domain.Challenge;
import io.simanchor.identity.domain.ChallengeStore;
import io.simanchor.support.persistence.Jdbc;

/**
 * {@link ChallengeStore} on PostgreSQL. Consumption is one conditional UPDATE, so exactly one request
 * wins a challenge however many instances race for it.
 */
@ApplicationScoped
public class PgChallengeStore implements ChallengeStore {

    private final Jdbc jdbc;

    PgChallengeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(Challenge challenge) {
        jdbc.read(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into challenge (id, purpose, subject_id, nonce_hash, expires_at) values (?, ?, ?, ?, ?)")) {
                insert.setObject(1, challenge.id());
                insert.setString(2, challenge.purpose().name());
                insert.setString(3, challenge.subjectId());
                insert.setBytes(4, challenge.nonceHash());
                insert.setTimestamp(5, Timestamp.from(challenge.expiresAt()));
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Challenge> consume(UUID id) {
        return jdbc.read(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "update challenge set consumed_at = now() where id = ? and consumed_at is null "
                            + "returning purpose, subject_id, nonce_hash, expires_at")) {
                update.setObject(1, id);
                try (ResultSet rows = update.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional
                            .of(new Challenge(id, Challenge.Purpose.valueOf(rows.getString(1)), rows.getString(2),
                                    rows.getBytes(3), rows.getTimestamp(4).toInstant()));
                }
            }
        });
    }

    @Override
    public boolean wasConsumed(UUID id) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select 1 from challenge where id = ? and consumed_at is not null")) {
                select.setObject(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }
}
