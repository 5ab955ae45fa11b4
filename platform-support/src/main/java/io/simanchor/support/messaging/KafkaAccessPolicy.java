package io.simanchor.support.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the platform's Kafka (issue 28, point 2): the ACLs of
 * {@code k8s/base/kafka/access-control.tsv}, one line per principal, operations and resource. The broker
 * allows nothing else (KRaft's {@code StandardAuthorizer}, no {@code allow.everyone.if.no.acl.found}); only
 * the broker itself and the launcher's administration are super users.
 */
public final class KafkaAccessPolicy {

    /** The broker's own principal (its certificate's CN): a super user, for its listeners. */
    public static final String BROKER = "kafka";

    /** The launcher's and the operators' administration principal: a super user, which creates topics. */
    public static final String ADMINISTRATION = "simanchor-admin";

    private final Set<AclBinding> bindings;

    private KafkaAccessPolicy(Set<AclBinding> bindings) {
        this.bindings = Set.copyOf(bindings);
    }

    /** The policy in {@code file}. */
    public static KafkaAccessPolicy read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Reads lines {@code principal operations resource pattern name} (whitespace-separated; operations
     * comma-separated, e.g. {@code Write,Create}; resource {@code topic}, {@code group} or {@code cluster};
     * pattern {@code literal} or {@code prefixed}); {@code #} starts a comment.
     *
     * @throws IllegalArgumentException naming the line that cannot be read
     */
    public static KafkaAccessPolicy parse(String text) {
        Set<AclBinding> bindings = new LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                bindings.addAll(bindingsOf(line.split("\\s+")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new KafkaAccessPolicy(bindings);
    }

    private static List<AclBinding> bindingsOf(String[] fields) {
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected principal, operations, resource, pattern and name");
        }
        String principal = fields[0];
        if (principal.equals(BROKER) || principal.equals(ADMINISTRATION)) {
            throw new IllegalArgumentException(principal + " is a super user and needs no ACL");
        }
        ResourcePattern resource = new ResourcePattern(enumValue(ResourceType.class, fields[2]), fields[4],
                enumValue(PatternType.class, fields[3]));
        List<AclBinding> bindings = new ArrayList<>();
        for (String operation : fields[1].split(",")) {
            bindings.add(new AclBinding(resource, new AccessControlEntry("User:" + principal, "*",
                    enumValue(AclOperation.class, operation), AclPermissionType.ALLOW)));
        }
        return bindings;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        String constant = name.toUpperCase(Locale.ROOT);
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(constant) && !constant.equals("ANY") && !constant.equals("UNKNOWN")
                    && !constant.equals("MATCH")) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + name);
    }

    /** Every ACL of the policy. */
    public Set<AclBinding> bindings() {
        return bindings;
    }

    /**
     * Makes the broker's ACLs exactly the policy's: creates those missing, deletes those it does not list
     * (a line removed from the file takes that permission away at the next start).
     */
    public Applied applyTo(Admin admin) throws InterruptedException, ExecutionException {
        Set<AclBinding> present = new LinkedHashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get());
        List<AclBindingFilter> stale = present.stream()
                .filter(binding -> !bindings.contains(binding))
                .map(AclBinding::toFilter)
                .toList();
        List<AclBinding> missing = bindings.stream().filter(binding -> !present.contains(binding)).toList();
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get();
        }
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get();
        }
        return new Applied(missing.size(), stale.size(), bindings.size());
    }

    /** What {@link #applyTo} changed: ACLs created and deleted, and how many the broker has now. */
    public record Applied(int created, int deleted, int total) {
    }
}
