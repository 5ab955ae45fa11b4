package io.simanchor.support.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * Deny by default (issue 28), checked at build time: every REST endpoint says who may call it, on the
 * method or its class. The services also set {@code quarkus.security.jaxrs.deny-unannotated-endpoints}, so
 * an endpoint that slipped past this rule answers 403 rather than serve anyone.
 */
public final class EndpointRules {

    private static final Set<String> SECURITY_ANNOTATIONS = Set.of("jakarta.annotation.security.RolesAllowed",
            "jakarta.annotation.security.PermitAll", "jakarta.annotation.security.DenyAll",
            "io.quarkus.security.Authenticated");

    private EndpointRules() {
    }

    /** Every JAX-RS resource method, or its class, carries a security annotation. */
    public static ArchRule everyEndpointDeclaresWhoMayCallIt() {
        return methods().that(areResourceMethods())
                .should(declareWhoMayCallThem())
                .because("an endpoint without a security annotation is denied (issue 28, docs/security.md)")
                .allowEmptyShould(false);
    }

    private static DescribedPredicate<JavaMethod> areResourceMethods() {
        return DescribedPredicate.describe("are REST endpoints", method -> method.getAnnotations()
                .stream()
                .anyMatch(annotation -> annotation.getRawType().isAnnotatedWith("jakarta.ws.rs.HttpMethod")));
    }

    private static ArchCondition<JavaMethod> declareWhoMayCallThem() {
        return new ArchCondition<>("declare who may call them") {

            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                boolean declared = secured(method.getAnnotations()
                        .stream()
                        .map(JavaAnnotation::getRawType)
                        .map(type -> type.getName())
                        .toList())
                        || secured(method.getOwner()
                                .getAnnotations()
                                .stream()
                                .map(JavaAnnotation::getRawType)
                                .map(type -> type.getName())
                                .toList());
                if (!declared) {
                    events.add(SimpleConditionEvent.violated(method,
                            method.getFullName() + " has no @RolesAllowed, @PermitAll, @DenyAll or @Authenticated"));
                }
            }
        };
    }

    private static boolean secured(java.util.List<String> annotations) {
        return annotations.stream().anyMatch(SECURITY_ANNOTATIONS::contains);
    }
}
