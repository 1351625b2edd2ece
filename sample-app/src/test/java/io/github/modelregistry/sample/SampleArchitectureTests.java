package io.github.modelregistry.sample;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The sample app is a face, written as a user of the starter would write one: it uses the registry's API only.
 */
@AnalyzeClasses(packages = "io.github.modelregistry.sample", importOptions = ImportOption.DoNotIncludeTests.class)
class SampleArchitectureTests {

	@ArchTest
	static final ArchRule theSampleUsesTheRegistryOnly = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.github.modelregistry.holder..", "io.github.modelregistry.onnx..",
				"io.github.modelregistry.webflux.internal..", "io.github.modelregistry.actuate..")
		.because("a user's service talks to the ModelRegistry and its types, not to the holders, the runtime or "
				+ "another face");

}
