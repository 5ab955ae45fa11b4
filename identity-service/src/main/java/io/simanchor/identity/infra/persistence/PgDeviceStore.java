package io.simanchor.identity.infra.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.api.events.DeviceState;
import io.simanchor.identity.domain.Challenge;
import io.simanchor.identity.domain.ChallengeAlreadyUsedException;
import io.simanchor.identity.domain.Device;
import io.simanchor.identity.domain.DeviceCertificate;
import io.simanchor.identity.domain.DeviceQuery;
import io.simanchor.identity.domain.DeviceStore;
import io.simanchor.identity.domain.IdentityProblems;
import io.simanchor.identity.domain.KeyAlreadyBoundException;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;
import io.simanchor.support.persistence.PersistenceException;
import io.simanchor.support.problem.ProblemException;

/** {@link DeviceStore} on PostgreSQL; each change, its outbox event and its audit entry in one transaction. */
@ApplicationScoped
public class PgDeviceStore implements DeviceStore {

    private static final String COLUMNS = "id, tenant_id, registration_id, hw_model, manufacturer, key_spki, "
            + "certificate_serial, certificate_not_after, mud_url, state, enrolled_at, endorsed, revision";

    private final Jdbc jdbc;
    private final IdentityEventOutbox outbox;
    private final AuditWriter audit;

    PgDeviceStore(Jdbc jdbc, IdentityEventOutbox outbox, AuditWriter audit) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.audit = audit;
    }

    @Override
    public void enroll(Device device, DeviceCertificate certificate, Challenge answered, Object event,
            AuditEntry entry) {
        try {
            jdbc.inTransaction(connection -> {
                if (!PgChallengeStore.record(connection, answered)) {
                    throw new ChallengeAlreadyUsedException();
                }
                try (PreparedStatement bind = connection.prepareStatement(
                        "update registration set device_id = ? where id = ? and device_id is null")) {
                    bind.setString(1, device.id());
                    bind.setLong(2, device.registrationId());
                    if (bind.executeUpdate() != 1) {
                        throw new ProblemException(IdentityProblems.ALREADY_ENROLLED,
                                "This SIM is already enrolled; rotate the key instead");
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement("insert into device (" + COLUMNS
                        + ", key_thumbprint, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, device.id());
                    insert.setString(2, device.tenantId());
                    insert.setLong(3, device.registrationId());
                    insert.setString(4, device.hwModel());
                    insert.setString(5, device.manufacturer());
                    insert.setBytes(6, device.key().spki());
                    insert.setString(7, device.certificateSerial());
                    insert.setTimestamp(8, Timestamp.from(device.certificateNotAfter()));
                    insert.setString(9, device.mudUrl());
                    insert.setString(10, device.state().name());
                    insert.setTimestamp(11, Timestamp.from(device.enrolledAt()));
                    insert.setBoolean(12, device.endorsed());
                    insert.setLong(13, device.revision());
                    insert.setString(14, device.key().thumbprint());
                    insert.setTimestamp(15, Timestamp.from(device.enrolledAt()));
                    insert.executeUpdate();
                }
                bindKey(connection, device.id(), device.key(), device.enrolledAt());
                insertCertificate(connection, device, certificate, device.enrolledAt());
                outbox.append(connection, event, entry.at());
                audit.append(connection, entry);
                return null;
            });
        } catch (PersistenceException e) {
            throw translateKeyReuse(e, device.key().thumbprint());
        }
        outbox.committed();
    }

    @Override
    public boolean changeState(Device changed, DeviceState expected, Object event, AuditEntry entry) {
        boolean applied = jdbc.inTransaction(connection -> {
            // Also on the revision the event's snapshot follows: after any change committed since the device was
            // read (a rotation, or a state change and back), this one would publish a stale snapshot.
            try (PreparedStatement update = connection.prepareStatement("update device set state = ?, updated_at = ?, "
                    + "revision = ? where id = ? and state = ? and key_thumbprint = ? and revision = ?")) {
                update.setString(1, changed.state().name());
                update.setTimestamp(2, Timestamp.from(entry.at()));
                update.setLong(3, changed.revision());
                update.setString(4, changed.id());
                update.setString(5, expected.name());
                update.setString(6, changed.key().thumbprint());
                update.setLong(7, changed.revision() - 1);
                if (update.executeUpdate() != 1) {
                    return false;
                }
            }
            outbox.append(connection, event, entry.at());
            audit.append(connection, entry);
            return true;
        });
        if (applied) {
            outbox.committed();
        }
        return applied;
    }

    @Override
    public void rotateKey(Device rotated, String previousThumbprint, DeviceCertificate certificate, Object event,
            AuditEntry entry) {
        try {
            jdbc.inTransaction(connection -> {
                try (PreparedStatement retire = connection.prepareStatement(
                        "update device_key set retired_at = ? where thumbprint = ? and device_id = ? and retired_at is null")) {
                    retire.setTimestamp(1, Timestamp.from(entry.at()));
                    retire.setString(2, previousThumbprint);
                    retire.setString(3, rotated.id());
                    if (retire.executeUpdate() != 1) {
                        throw new ProblemException(IdentityProblems.STATE_TRANSITION_INVALID,
                                "The key was rotated concurrently; request a new challenge");
                    }
                }
                bindKey(connection, rotated.id(), rotated.key(), entry.at());
                try (PreparedStatement update = connection.prepareStatement(
                        "update device set key_spki = ?, key_thumbprint = ?, certificate_serial = ?, "
                                + "certificate_not_after = ?, updated_at = ?, revision = ? "
                                + "where id = ? and state = 'ACTIVE' and revision = ?")) {
                    update.setBytes(1, rotated.key().spki());
                    update.setString(2, rotated.key().thumbprint());
                    update.setString(3, certificate.serialHex());
                    update.setTimestamp(4, Timestamp.from(certificate.notAfter()));
                    update.setTimestamp(5, Timestamp.from(entry.at()));
                    update.setLong(6, rotated.revision());
                    update.setString(7, rotated.id());
                    update.setLong(8, rotated.revision() - 1);
                    if (update.executeUpdate() != 1) {
                        throw notRotatable(connection, rotated.id());
                    }
                }
                insertCertificate(connection, rotated, certificate, entry.at());
                outbox.append(connection, event, entry.at());
                audit.append(connection, entry);
                return null;
            });
        } catch (PersistenceException e) {
            throw translateKeyReuse(e, rotated.key().thumbprint());
        }
        outbox.committed();
    }

    @Override
    public Optional<Device> findById(String deviceId) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select " + COLUMNS + " from device where id = ?")) {
                select.setString(1, deviceId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(toDevice(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Reissued> repeatEnrollment(String deviceId, String keyThumbprint, Challenge answered,
            AuditEntry entry) {
        return jdbc.inTransaction(connection -> {
            Reissued reissued;
            // The device row stays locked until the commit: a suspension, revocation or rotation waits.
            try (PreparedStatement select = connection.prepareStatement("select c.der, d.mud_url from device d "
                    + "join certificate c on c.serial = d.certificate_serial where d.id = ? and d.state = 'ACTIVE' "
                    + "and d.key_thumbprint = ? and c.not_after > ? for share of d")) {
                select.setString(1, deviceId);
                select.setString(2, keyThumbprint);
                select.setTimestamp(3, Timestamp.from(entry.at()));
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    reissued = new Reissued(rows.getBytes(1), rows.getString(2));
                }
            }
            if (!PgChallengeStore.record(connection, answered)) {
                throw new ChallengeAlreadyUsedException();
            }
            audit.append(connection, entry);
            return Optional.of(reissued);
        });
    }

    @Override
    public Optional<String> findDeviceByKey(String thumbprint) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select device_id from device_key where thumbprint = ?")) {
                select.setString(1, thumbprint);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Device> list(DeviceQuery query) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from device where true");
        List<Object> parameters = new ArrayList<>();
        query.tenantId().ifPresent(tenant -> {
            sql.append(" and tenant_id = ?");
            parameters.add(tenant);
        });
        query.state().ifPresent(state -> {
            sql.append(" and state = ?");
            parameters.add(state.name());
        });
        query.hwModel().ifPresent(model -> {
            sql.append(" and hw_model = ?");
            parameters.add(model);
        });
        query.afterId().ifPresent(after -> {
            sql.append(" and id > ?");
            parameters.add(after);
        });
        sql.append(" order by id limit ?");
        parameters.add(query.limit());
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    select.setObject(i + 1, parameters.get(i));
                }
                List<Device> devices = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        devices.add(toDevice(rows));
                    }
                }
                return devices;
            }
        });
    }

    private static void bindKey(Connection connection, String deviceId, EcPublicKey key, Instant at)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into device_key (thumbprint, device_id, spki, bound_at) values (?, ?, ?, ?)")) {
            insert.setString(1, key.thumbprint());
            insert.setString(2, deviceId);
            insert.setBytes(3, key.spki());
            insert.setTimestamp(4, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    private static void insertCertificate(Connection connection, Device device, DeviceCertificate certificate,
            Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into certificate (serial, device_id, key_thumbprint, not_after, der, issued_at) values (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, certificate.serialHex());
            insert.setString(2, device.id());
            insert.setString(3, device.key().thumbprint());
            insert.setTimestamp(4, Timestamp.from(certificate.notAfter()));
            insert.setBytes(5, certificate.der());
            insert.setTimestamp(6, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    /** A unique violation on the key columns means another device won the race for this key. */
    private RuntimeException translateKeyReuse(PersistenceException e, String thumbprint) {
        if (e.getCause() instanceof SQLException sql && Jdbc.isUniqueViolation(sql)) {
            Optional<String> owner = findDeviceByKey(thumbprint);
            if (owner.isPresent()) {
                return new KeyAlreadyBoundException(owner.get());
            }
        }
        return e;
    }

    /**
     * Why a rotation's update found no row: the device is not active, or it changed since it was read (suspended
     * and resumed), so the rotation's snapshot would not be its next revision.
     */
    private static ProblemException notRotatable(Connection connection, String deviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select state from device where id = ?")) {
            select.setString(1, deviceId);
            try (ResultSet row = select.executeQuery()) {
                if (row.next() && DeviceState.ACTIVE.name().equals(row.getString(1))) {
                    return new ProblemException(IdentityProblems.STATE_TRANSITION_INVALID,
                            "The device changed meanwhile; request a new challenge");
                }
            }
        }
        return new ProblemException(IdentityProblems.DEVICE_NOT_ACTIVE, "The device is not active");
    }

    private static Device toDevice(ResultSet row) throws SQLException {
        return new Device(row.getString("id"), row.getString("tenant_id"), row.getLong("registration_id"),
                row.getString("hw_model"), row.getString("manufacturer"),
                EcPublicKey.fromSpki(row.getBytes("key_spki")),
                row.getString("certificate_serial"), row.getTimestamp("certificate_not_after").toInstant(),
                row.getString("mud_url"), DeviceState.valueOf(row.getString("state")),
                row.getTimestamp("enrolled_at").toInstant(), row.getBoolean("endorsed"), row.getLong("revision"));
    }
}
