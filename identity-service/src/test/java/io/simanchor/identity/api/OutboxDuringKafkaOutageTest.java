package io.simanchor.identity.api;

import static io.simanchor.identity.testing.IdentityApi.givenEnrolled;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.simanchor.api.events.DeviceEnrolledV1;
import io.simanchor.api.events.Topics;
import io.simanchor.identity.testing.TestDevice;
import io.simanchor.support.testing.KafkaEvents;
import io.simanchor.support.testing.KafkaTestResource;

/**
 * No event is lost when Kafka is down at the moment of the change: the transactional outbox holds them
 * until the broker is back, and each arrives exactly once.
 */
@QuarkusTest
class OutboxDuringKafkaOutageTest {

    @Test
    void enrollments_while_the_broker_is_down_are_published_exactly_once_after_it_returns() {
        List<String> deviceIds = new ArrayList<>();
        KafkaTestResource.broker().stopBroker();
        try {
            for (int i = 0; i < 5; i++) {
                deviceIds.add(givenEnrolled(TestDevice.p256()));
            }
        } finally {
            KafkaTestResource.broker().restartBroker();
        }

        try (KafkaEvents events = KafkaEvents.of(Topics.DEVICE_LIFECYCLE)) {
            events.awaitAtLeast(5, e -> deviceIds.contains(e.key()), Duration.ofSeconds(60));
            Map<String, Long> enrolledEvents = events.drain(Duration.ofSeconds(3))
                    .stream()
                    .filter(e -> deviceIds.contains(e.key()) && DeviceEnrolledV1.TYPE.equals(e.type()))
                    .collect(Collectors.groupingBy(KafkaEvents.Event::key, Collectors.counting()));
            assertThat(enrolledEvents).hasSize(5).allSatisfy((device, count) -> assertThat(count).isEqualTo(1));
            assertThat(events.drain(Duration.ZERO)
                    .stream()
                    .filter(e -> deviceIds.contains(e.key()))
                    .collect(Collectors.toMap(KafkaEvents.Event::id, Function.identity(), (a, b) -> {
                        throw new AssertionError("event " + a.id() + " published twice");
                    }))).hasSize(5);
        }
    }
}
