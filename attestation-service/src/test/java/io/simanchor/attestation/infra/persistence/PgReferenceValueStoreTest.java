package io.simanchor.attestation.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.api.attestation.MeasurementV1;
import io.simanchor.attestation.config.AttestationConfig;
import io.simanchor.attestation.domain.ReferenceValues;
import io.simanchor.support.audit.AuditEntry;
import io.simanchor.support.persistence.AuditWriter;
import io.simanchor.support.persistence.Jdbc;
import io.vertx.core.Vertx;

/**
 * The reference values a device reports a version for are read per model: versions nobody provisioned,
 * which any enrolled device can make up by the thousand, cost no read of their own.
 */
@QuarkusTest
class PgReferenceValueStoreTest {

    private static final String DIGEST = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

    @Inject
    Jdbc jdbc;

    @Inject
    AuditWriter audit;

    @Inject
    ObjectMapper json;

    @Inject
    AttestationConfig config;

    @Inject
    Clock clock;

    @Inject
    Vertx vertx;

    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void versions_nobody_provisioned_are_found_absent_without_a_read_of_their_own() throws Exception {
        PgReferenceValueStore store = store();
        String model = "store-test-" + UUID.randomUUID();
        store.save(values(model, "1.0.0"), entry(model));

        assertThat(find(store, model, "1.0.0")).contains(values(model, "1.0.0"));
        for (int i = 0; i < 200; i++) {
            assertThat(find(store, model, "made-up-" + i)).isEmpty();
        }
        assertThat(reads).as("one read for the model, whatever versions were asked for").hasValue(1);

        store.save(values(model, "1.1.0"), entry(model));
        assertThat(find(store, model, "1.1.0")).as("a change made here applies at once")
                .contains(values(model, "1.1.0"));
        assertThat(find(store, model, "1.0.0")).contains(values(model, "1.0.0"));
        assertThat(reads).hasValue(2);
    }

    @Test
    void one_unreadable_version_fails_its_own_lookups_only() throws Exception {
        PgReferenceValueStore store = store();
        String model = "store-test-" + UUID.randomUUID();
        store.save(values(model, "1.0.0"), entry(model));
        store.save(values(model, "2.0.0"), entry(model));
        jdbc.inTransaction(connection -> {
            try (PreparedStatement corrupt = connection.prepareStatement(
                    "update reference_values set measurements = 'not json' where hw_model = ? and sw_version = ?")) {
                corrupt.setString(1, model);
                corrupt.setString(2, "2.0.0");
                return corrupt.executeUpdate();
            }
        });

        assertThat(find(store, model, "1.0.0")).contains(values(model, "1.0.0"));
        assertThatThrownBy(() -> find(store, model, "2.0.0")).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasStackTraceContaining("not readable");
    }

    /** A store whose cache never ages (a fixed clock), reading through {@link #reads}. */
    private PgReferenceValueStore store() {
        return new PgReferenceValueStore(jdbc, audit, json, config, Clock.fixed(clock.instant(), ZoneOffset.UTC),
                countingReads());
    }

    private DatabaseReads countingReads() {
        return new DatabaseReads(vertx) {

            @Override
            public void execute(Runnable read) {
                reads.incrementAndGet();
                super.execute(read);
            }
        };
    }

    private static Optional<ReferenceValues> find(PgReferenceValueStore store, String model, String version)
            throws Exception {
        return store.find(model, version).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ReferenceValues values(String model, String version) {
        return new ReferenceValues(model, version, List.of(new MeasurementV1("boot", MeasurementV1.SHA_256, DIGEST)));
    }

    private AuditEntry entry(String model) {
        return new AuditEntry(clock.instant(), "store-test", "reference-values.provisioned", null, model, Map.of());
    }
}
