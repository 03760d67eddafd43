package dev.sluice.jaxrs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the feature on the standard JAX-RS API and each implementation's code in its own package. */
@AnalyzeClasses(packages = "dev.sluice.jaxrs", importOptions = ImportOption.DoNotIncludeTests.class)
class JaxRsArchitectureTest {

    @ArchTest
    static final ArchRule theFeatureUsesOnlyTheStandardApi = noClasses()
            .that().resideInAPackage("dev.sluice.jaxrs")
            .should().dependOnClassesThat().resideInAnyPackage("org.glassfish..", "org.jboss..",
                    "dev.sluice.jaxrs.jersey..", "dev.sluice.jaxrs.resteasy..");

    @ArchTest
    static final ArchRule jerseyCodeKnowsNothingOfRestEasy = noClasses()
            .that().resideInAPackage("dev.sluice.jaxrs.jersey..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jboss..", "dev.sluice.jaxrs.resteasy..");

    @ArchTest
    static final ArchRule restEasyCodeKnowsNothingOfJersey = noClasses()
            .that().resideInAPackage("dev.sluice.jaxrs.resteasy..")
            .should().dependOnClassesThat().resideInAnyPackage("org.glassfish..", "dev.sluice.jaxrs.jersey..");
}
