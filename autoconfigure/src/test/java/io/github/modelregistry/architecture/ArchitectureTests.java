package io.github.modelregistry.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The design's layers ({@code ../shared/design.md}, "Layers inside autoconfigure"), as rules on the main classes:
 * one rule per "never", each saying why. Run with {@code ./mvnw -pl autoconfigure test -Dtest=ArchitectureTests}.
 * The sample app's own code is checked by the same rule for faces in its module.
 */
@AnalyzeClasses(packages = "io.github.modelregistry", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String BASE = "io.github.modelregistry.";

	private static final String HOLDER = BASE + "holder..";

	private static final String TENSOR = BASE + "tensor..";

	private static final String ONNX = BASE + "onnx..";

	private static final String REPOSITORY = BASE + "repository..";

	private static final String REGISTRY = BASE + "registry..";

	private static final String WEB = BASE + "web..";

	private static final String GRPC = BASE + "grpc..";

	private static final String ACTUATE = BASE + "actuate..";

	private static final String AUTOCONFIGURE = BASE + "autoconfigure..";

	@ArchTest
	static final ArchRule facesUseTheRegistryOnly = noClasses().that()
		.resideInAnyPackage(WEB, GRPC, ACTUATE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(HOLDER, ONNX)
		.because("the registry is the only door: a face that reaches a holder or a session bypasses its "
				+ "protection, its errors and its version resolution");

	@ArchTest
	static final ArchRule holdersArePlainJava = classes().that()
		.resideInAPackage(HOLDER)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage(HOLDER, "java..", "org.jspecify..")
		.because("the strategies hold any closeable read-mostly object and are tested on fakes: no Spring, no ONNX, "
				+ "nothing of the layers above");

	@ArchTest
	static final ArchRule tensorsNeedNoRuntime = classes().that()
		.resideInAPackage(TENSOR)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage(TENSOR, "java..", "org.jspecify..")
		.because("what requests are made of is shared by every layer above, and usable without ONNX Runtime on "
				+ "the class path");

	@ArchTest
	static final ArchRule onlyTheOnnxAdapterKnowsOnnxRuntime = noClasses().that()
		.resideOutsideOfPackage(ONNX)
		.and()
		.doNotHaveFullyQualifiedName(BASE + "autoconfigure.ModelRegistryAutoConfiguration$OnnxConfiguration")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("ai.onnxruntime..")
		.because("the registry holds runtime-neutral InferenceModels: without ONNX Runtime on the class path it "
				+ "still starts and serves models given in code (a test's stubs), and another runtime is one "
				+ "more loader; only the configuration that makes ONNX Runtime's loader names its class");

	@ArchTest
	static final ArchRule lowerLayersNeverLookUp = noClasses().that()
		.resideInAnyPackage(HOLDER, TENSOR, ONNX, REPOSITORY)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(REGISTRY, WEB, GRPC, ACTUATE, AUTOCONFIGURE)
		.because("dependencies point downwards only");

	@ArchTest
	static final ArchRule registryNeverImportsAFace = noClasses().that()
		.resideInAPackage(REGISTRY)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEB, GRPC, ACTUATE, AUTOCONFIGURE)
		.because("every face, and a user's own code, gets the same registry: it cannot know who calls it");

	@ArchTest
	static final ArchRule webAndActuatorAreIndependent = noClasses().that()
		.resideInAPackage(WEB)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(ACTUATE, GRPC)
		.because("faces are independent: each is a mapping table and a codec over the registry");

	@ArchTest
	static final ArchRule actuatorAndWebAreIndependent = noClasses().that()
		.resideInAPackage(ACTUATE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEB, GRPC)
		.because("faces are independent: each is a mapping table and a codec over the registry");

	@ArchTest
	static final ArchRule grpcAndTheOtherFacesAreIndependent = noClasses().that()
		.resideInAPackage(GRPC)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEB, ACTUATE)
		.because("faces are independent: each is a mapping table and a codec over the registry");

	@ArchTest
	static final ArchRule coreAutoConfigurationNeverImportsAFace = noClasses().that()
		.haveNameMatching(".*\\.autoconfigure\\.ModelRegistryAutoConfiguration(\\$.*)?")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEB, GRPC, ACTUATE)
		.because("the core configuration wires the registry for any application; each face has its own, "
				+ "conditional on its class path");

}
