package io.github.modelregistry.faces;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The design's layers across modules ({@code ../shared/design.md}, "Layers"), as rules on every module's main
 * classes, which only this application has on one class path: one rule per "never", each saying why. The module
 * dependencies and the enforcer keep the modules below the Spring Boot module free of Spring; the core's own rules
 * are its {@code CoreArchitectureTests}. Test fixtures (the modules' test jars) are left out.
 */
@AnalyzeClasses(packages = "io.github.modelregistry",
		importOptions = { ImportOption.DoNotIncludeTests.class, ModuleArchitectureTests.NoTestJars.class })
class ModuleArchitectureTests {

	private static final String BASE = "io.github.modelregistry.";

	private static final String HOLDER = BASE + "holder..";

	private static final String ONNX = BASE + "onnx..";

	private static final String REGISTRY = BASE + "registry..";

	private static final String PROTOCOL = BASE + "protocol..";

	private static final String WEBFLUX = BASE + "webflux..";

	private static final String GRPC = BASE + "grpc..";

	private static final String ACTUATE = BASE + "actuate..";

	private static final String AUTOCONFIGURE = BASE + "autoconfigure..";

	@ArchTest
	static final ArchRule facesUseTheRegistryOnly = noClasses().that()
		.resideInAnyPackage(WEBFLUX, GRPC, ACTUATE, PROTOCOL)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(HOLDER, ONNX)
		.because("the registry is the only door: a face that reaches a holder or a session bypasses its "
				+ "protection, its errors and its version resolution");

	@ArchTest
	static final ArchRule onlyTheOnnxAdapterKnowsOnnxRuntime = noClasses().that()
		.resideOutsideOfPackage(ONNX)
		.and()
		.doNotHaveFullyQualifiedName(BASE + "autoconfigure.ModelRegistryAutoConfiguration$OnnxConfiguration")
		.and()
		.resideOutsideOfPackage(BASE + "sample..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("ai.onnxruntime..")
		.because("the registry holds runtime-neutral InferenceModels; only the configuration that makes ONNX "
				+ "Runtime's loader names its class");

	@ArchTest
	static final ArchRule registryNeverImportsAFace = noClasses().that()
		.resideInAPackage(REGISTRY)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(PROTOCOL, WEBFLUX, GRPC, ACTUATE, AUTOCONFIGURE, ONNX)
		.because("every face, and a user's own code, gets the same registry: it cannot know who calls it");

	@ArchTest
	static final ArchRule theProtocolKnowsNoFace = noClasses().that()
		.resideInAPackage(PROTOCOL)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEBFLUX, GRPC, ACTUATE, AUTOCONFIGURE)
		.because("every face and the client share the protocol's codecs: it cannot know which one calls it");

	@ArchTest
	static final ArchRule webfluxAndTheOtherFacesAreIndependent = noClasses().that()
		.resideInAPackage(WEBFLUX)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(ACTUATE, GRPC)
		.because("faces are independent: each is a mapping table and a codec over the registry");

	@ArchTest
	static final ArchRule actuatorAndTheOtherFacesAreIndependent = noClasses().that()
		.resideInAPackage(ACTUATE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEBFLUX, GRPC, PROTOCOL)
		.because("faces are independent: each is a mapping table and a codec over the registry");

	@ArchTest
	static final ArchRule grpcAndTheOtherFacesAreIndependent = noClasses().that()
		.resideInAPackage(GRPC)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEBFLUX, ACTUATE)
		.because("faces are independent: each is a mapping table and a codec over the registry");

	@ArchTest
	static final ArchRule theBootModuleNeverImportsAFace = noClasses().that()
		.resideInAnyPackage(AUTOCONFIGURE, ACTUATE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEBFLUX, GRPC)
		.because("the Boot module wires the registry for any application; each face has its own "
				+ "auto-configuration, in its own module");

	/**
	 * Leaves out the modules' test jars, which hold test fixtures rather than the design's layers.
	 */
	static final class NoTestJars implements ImportOption {

		@Override
		public boolean includes(Location location) {
			return !location.contains("-tests.jar");
		}

	}

}
