package io.simanchor.attestation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.simanchor.support.testing.EndpointRules;

@AnalyzeClasses(packages = "io.simanchor.attestation", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_is_free_of_framework_types = noClasses().that()
            .resideInAPackage("io.simanchor.attestation.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta..", "javax.sql..", "java.sql..", "io.quarkus..", "io.vertx..",
                    "io.smallrye..", "org.eclipse.microprofile..", "org.apache.kafka..", "com.fasterxml..",
                    "io.simanchor.attestation.infra..", "io.simanchor.attestation.api..",
                    "io.simanchor.attestation.config..")
            .because("domain code must be testable and readable without the framework (STYLE.md)");

    @ArchTest
    static final ArchRule adapters_do_not_call_endpoints = noClasses().that()
            .resideInAPackage("io.simanchor.attestation.infra..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.simanchor.attestation.api..");

    @ArchTest
    static final ArchRule every_endpoint_declares_who_may_call_it = EndpointRules.everyEndpointDeclaresWhoMayCallIt();
}
