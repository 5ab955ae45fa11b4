package io.simanchor.support.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import io.simanchor.support.messaging.KafkaAccessPolicy;
import io.simanchor.support.tls.ServiceCa;

/**
 * What {@code ./platform} asks of Java: the service CA with a certificate per component, and Kafka's
 * topics and ACLs. The same classes set up the tests' infrastructure, so the launcher and the tests cannot
 * drift apart.
 *
 * <pre>
 * certificates DIR COMPONENT[:client]...   the service CA in DIR, and each component's key and certificate
 *                                          (":client": a client-only certificate, ServiceCa.Usage.CLIENT)
 * kafka CLIENT_PROPERTIES ACCESS_FILE TOPIC[:name=value,...]...
 *                                          creates the missing topics, then makes the broker's ACLs those
 *                                          of ACCESS_FILE, as the client CLIENT_PROPERTIES describes
 * </pre>
 */
public final class LauncherTool {

    private LauncherTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("certificates")) {
            certificates(Path.of(args[1]), Arrays.asList(args).subList(2, args.length));
        } else if (args.length >= 3 && args[0].equals("kafka")) {
            kafka(Path.of(args[1]), Path.of(args[2]), Arrays.asList(args).subList(3, args.length));
        } else {
            System.err.println("usage: certificates DIR COMPONENT[:client]... | "
                    + "kafka CLIENT_PROPERTIES ACCESS_FILE TOPIC[:name=value,...]...");
            System.exit(2);
        }
    }

    private static void certificates(Path directory, List<String> components)
            throws IOException, GeneralSecurityException {
        boolean created = !Files.exists(directory.resolve(ServiceCa.CA_CERTIFICATE));
        ServiceCa ca = ServiceCa.openOrCreate(directory, Clock.systemUTC(), new SecureRandom());
        if (created) {
            System.out.println("created the service CA " + ca.certificate().getSubjectX500Principal().getName());
        }
        for (String component : components) {
            if (component.endsWith(":client")) {
                ca.keysOf(component.substring(0, component.length() - ":client".length()), ServiceCa.Usage.CLIENT);
            } else {
                ca.keysOf(component);
            }
        }
    }

    private static void kafka(Path clientProperties, Path accessFile, List<String> topicSpecs)
            throws IOException, InterruptedException, ExecutionException {
        KafkaAccessPolicy policy = KafkaAccessPolicy.read(accessFile);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(clientProperties)) {
            properties.load(in);
        }
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String spec : topicSpecs) {
                NewTopic topic = topic(spec);
                if (!existing.contains(topic.name())) {
                    missing.add(topic);
                }
            }
            admin.createTopics(missing).all().get();
            missing.forEach(topic -> System.out.println("created topic " + topic.name()));
            KafkaAccessPolicy.Applied applied = policy.applyTo(admin);
            System.out.printf("ACLs: %d (%d created, %d removed)%n", applied.total(), applied.created(),
                    applied.deleted());
        }
    }

    /** {@code name[:key=value,...]}. */
    private static NewTopic topic(String spec) {
        String[] parts = spec.split(":", 2);
        NewTopic topic = new NewTopic(parts[0], Optional.empty(), Optional.empty());
        if (parts.length > 1) {
            Map<String, String> configs = new HashMap<>();
            for (String setting : parts[1].split(",")) {
                String[] pair = setting.split("=", 2);
                if (pair.length != 2) {
                    throw new IllegalArgumentException("a topic setting is name=value: " + spec);
                }
                configs.put(pair[0], pair[1]);
            }
            topic.configs(configs);
        }
        return topic;
    }
}
