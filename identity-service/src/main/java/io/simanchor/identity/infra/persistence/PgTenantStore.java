package io.simanchor.identity.infra.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.simanchor.identity.domain.TenantStore;
import io.simanchor.identity.domain.VendorKeyStore;
import io.simanchor.support.crypto.EcPublicKey;
import io.simanchor.support.persistence.Jdbc;

/** {@link TenantStore} and {@link VendorKeyStore} on PostgreSQL. */
@ApplicationScoped
public class PgTenantStore implements TenantStore, VendorKeyStore {

    private final Jdbc jdbc;

    PgTenantStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean create(String tenantId) {
        return jdbc.read(connection -> {
            try (PreparedStatement insert = connection
                    .prepareStatement("insert into tenant (id) values (?) on conflict do nothing")) {
                insert.setString(1, tenantId);
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean exists(String tenantId) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("select 1 from tenant where id = ?")) {
                select.setString(1, tenantId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    @Override
    public boolean allowsUnendorsedEnrollment(String tenantId) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select unendorsed_enrollment from tenant where id = ?")) {
                select.setString(1, tenantId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() && rows.getBoolean(1);
                }
            }
        });
    }

    @Override
    public boolean setUnendorsedEnrollment(String tenantId, boolean allowed) {
        return jdbc.read(connection -> {
            try (PreparedStatement update = connection
                    .prepareStatement("update tenant set unendorsed_enrollment = ? where id = ?")) {
                update.setBoolean(1, allowed);
                update.setString(2, tenantId);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void put(String tenantId, String keyId, EcPublicKey key) {
        jdbc.read(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "insert into vendor_key (tenant_id, key_id, spki) values (?, ?, ?) "
                            + "on conflict (tenant_id, key_id) do update set spki = excluded.spki")) {
                upsert.setString(1, tenantId);
                upsert.setString(2, keyId);
                upsert.setBytes(3, key.spki());
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public Optional<EcPublicKey> find(String tenantId, String keyId) {
        return jdbc.read(connection -> {
            try (PreparedStatement select = connection
                    .prepareStatement("select spki from vendor_key where tenant_id = ? and key_id = ?")) {
                select.setString(1, tenantId);
                select.setString(2, keyId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(EcPublicKey.fromSpki(rows.getBytes(1))) : Optional.empty();
                }
            }
        });
    }
}
