package dev.sluice.hazelcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Hazelcast is an optional dependency: only {@code dev.sluice.hazelcast} may touch it, and nothing
 * else may touch that package, so the engine and the filter load without Hazelcast on the classpath.
 */
@AnalyzeClasses(packages = "dev.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class HazelcastArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheHazelcastPackageUsesHazelcast = noClasses()
            .that().resideOutsideOfPackage("dev.sluice.hazelcast..")
            .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "io.github.bucket4j.grid..");

    @ArchTest
    static final ArchRule nothingElseUsesTheHazelcastPackage = noClasses()
            .that().resideOutsideOfPackage("dev.sluice.hazelcast..")
            .should().dependOnClassesThat().resideInAPackage("dev.sluice.hazelcast..");

    @ArchTest
    static final ArchRule theServiceProviderLoadsWithoutHazelcast = noClasses()
            .that().haveSimpleName("HazelcastStoreProvider")
            .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "io.github.bucket4j.grid..");
}
