package io.simanchor.identity.infra.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.identity.domain.Iccid;
import io.simanchor.identity.domain.NewRegistration;
import io.simanchor.identity.domain.Registration;
import io.simanchor.identity.domain.RegistrationStore;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.persistence.Jdbc;

/** {@link RegistrationStore} on PostgreSQL. Bulk inserts are one JDBC batch per call. */
@ApplicationScoped
public class PgRegistrationStore implements RegistrationStore {

    private static final String COLUMNS = "id, tenant_id, iccid, imei, hw_model, manufacturer, sim_spki, device_id";

    private final Jdbc jdbc;

    PgRegistrationStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Registration> findByIccid(Iccid iccid) {
        return findOne("iccid = ?", iccid.value());
    }

    @Override
    public Optional<Registration> findById(long id) {
        return findOne("id = ?", id);
    }

    @Override
    public List<Boolean> insertNew(List<NewRegistration> registrations) {
        if (registrations.isEmpty()) {
            return List.of();
        }
        return jdbc.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into registration (tenant_id, iccid, imei, hw_model, manufacturer, sim_spki) "
                            + "values (?, ?, ?, ?, ?, ?) on conflict (iccid) do nothing")) {
                for (NewRegistration registration : registrations) {
                    insert.setString(1, registration.tenantId());
                    insert.setString(2, registration.iccid().value());
                    insert.setString(3, registration.imei());
                    insert.setString(4, registration.hwModel());
                    insert.setString(5, registration.manufacturer());
                    insert.setBytes(6, registration.simKey().map(EcPublicKey::spki).orElse(null));
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                List<Boolean> inserted = new ArrayList<>(counts.length);
                for (int count : counts) {
                    inserted.add(count == 1);
                }
                return inserted;
            }
        });
    }

    @Override
    public List<Registration> findByIccids(List<Iccid> iccids) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select " + COLUMNS + " from registration where iccid = any (?)")) {
                select.setArray(1, connection.createArrayOf("text", iccids.stream().map(Iccid::value).toArray()));
                List<Registration> found = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(toRegistration(rows));
                    }
                }
                return found;
            }
        });
    }

    private Optional<Registration> findOne(String condition, Object value) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select " + COLUMNS + " from registration where " + condition)) {
                select.setObject(1, value);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(toRegistration(rows)) : Optional.empty();
                }
            }
        });
    }

    private static Registration toRegistration(ResultSet row) throws SQLException {
        byte[] simKey = row.getBytes("sim_spki");
        return new Registration(row.getLong("id"), row.getString("tenant_id"), new Iccid(row.getString("iccid")),
                row.getString("imei"), row.getString("hw_model"), row.getString("manufacturer"),
                Optional.ofNullable(simKey).map(EcPublicKey::fromSpki),
                Optional.ofNullable(row.getString("device_id")));
    }
}
