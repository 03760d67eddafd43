package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the engine free of the containers and grids it is adapted to. */
@AnalyzeClasses(packages = "dev.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule engineIsFreeOfServletJaxRsAndHazelcast = noClasses()
            .that().resideInAPackage("dev.sluice.core..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "jakarta.ws.rs..", "com.hazelcast..");

    @ArchTest
    static final ArchRule engineDoesNotDependOnItsAdapters = noClasses()
            .that().resideInAPackage("dev.sluice.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.servlet..", "dev.sluice.jaxrs..", "dev.sluice.hazelcast..");
}
