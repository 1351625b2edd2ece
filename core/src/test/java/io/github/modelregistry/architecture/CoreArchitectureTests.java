package io.github.modelregistry.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The design's layers inside the core ({@code ../shared/design.md}, "Layers"), as rules on its main classes: one rule
 * per "never", each saying why. What the core may not see at all (Spring, ONNX Runtime, the faces) is not on its
 * class path: the Maven enforcer and the module's dependencies say so. Rules across modules are the sample app's
 * {@code ModuleArchitectureTests}.
 */
@AnalyzeClasses(packages = "io.github.modelregistry", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTests {

	private static final String BASE = "io.github.modelregistry.";

	private static final String HOLDER = BASE + "holder..";

	private static final String TENSOR = BASE + "tensor..";

	private static final String REPOSITORY = BASE + "repository..";

	private static final String REGISTRY = BASE + "registry..";

	private static final String PIPELINE = BASE + "pipeline..";

	@ArchTest
	static final ArchRule holdersArePlainJava = classes().that()
		.resideInAPackage(HOLDER)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage(HOLDER, "java..", "org.jspecify..")
		.because("the strategies hold any closeable read-mostly object and are tested on fakes: nothing of the "
				+ "layers above");

	@ArchTest
	static final ArchRule tensorsNeedNoRuntime = classes().that()
		.resideInAPackage(TENSOR)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage(TENSOR, "java..", "org.jspecify..")
		.because("what requests are made of is shared by every layer above, and usable without a runtime");

	@ArchTest
	static final ArchRule lowerLayersNeverLookUp = noClasses().that()
		.resideInAnyPackage(HOLDER, TENSOR, REPOSITORY)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(REGISTRY, PIPELINE)
		.because("dependencies point downwards only");

	@ArchTest
	static final ArchRule pipelinesAreModelsNotRegistries = classes().that()
		.resideInAPackage(PIPELINE)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage(PIPELINE, TENSOR, REPOSITORY, "java..", "org.jspecify..")
		.because("a pipeline turns one loaded version into another model; the registry holds, batches and swaps it "
				+ "like any other, and a stage can be tested without one");

	@ArchTest
	static final ArchRule theRepositoryReadsFilesOnly = classes().that()
		.resideInAPackage(REPOSITORY)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage(REPOSITORY, "java..", "org.jspecify..")
		.because("versions are found on java.nio; other places (a jar, object storage) extend the repository in "
				+ "their own modules");

}
