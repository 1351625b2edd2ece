package io.github.modelregistry.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.env.Environment;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of the code that uses a {@link io.github.modelregistry.registry.ModelRegistry}, in the style of Spring
 * Boot's own slices ({@code @WebFluxTest}, {@code @JsonTest}): only the registry's auto-configuration starts, not the
 * web server, not Resilience4j's protection (add {@link AutoConfigureInferenceProtection} for it), not the rest of
 * the application. The
 * registry serves the context's {@link StubModel} beans, and of the models the application configures only those
 * {@link #models()} names. Scanned components are left out but for {@code ModelRegistryCustomizer}s; bring the
 * service under test with {@code @Import}.
 * <pre>{@code
 * @ModelRegistryTest
 * @Import(RecommendationService.class)
 * class RecommendationServiceTests {
 *
 *     @TestConfiguration(proxyBeanMethods = false)
 *     static class Models {
 *         @Bean
 *         StubModel ranker() {
 *             return StubModel.of(SPEC, (inputs) -> ...);
 *         }
 *     }
 *
 *     @Autowired
 *     RecommendationService service;
 *     ...
 * }
 * }</pre>
 * With no ONNX Runtime on the test class path the registry still starts and serves the stubs. To test the V2 REST
 * face too, use {@code @WebFluxTest} with {@link AutoConfigureModelRegistry}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(ModelRegistryTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(ModelRegistryTypeExcludeFilter.class)
@AutoConfigureModelRegistry
@ImportAutoConfiguration
public @interface ModelRegistryTest {

	/**
	 * Properties in the form {@literal key=value} added to the {@link Environment} before the test runs.
	 * @return the properties to add
	 */
	String[] properties() default {};

	/**
	 * The models configured under {@code model-registry.models.*} to serve as configured; {@code "*"} for all. See
	 * {@link AutoConfigureModelRegistry#models()}.
	 * @return the configured models to serve
	 */
	@AliasFor(annotation = AutoConfigureModelRegistry.class)
	String[] models() default {};

	/**
	 * Whether the default filters apply: with them, scanned {@code ModelRegistryCustomizer} components are included.
	 * @return whether to use the default filters
	 */
	boolean useDefaultFilters() default true;

	/**
	 * Filters of further beans to include among the scanned components.
	 * @return the include filters
	 */
	Filter[] includeFilters() default {};

	/**
	 * Filters of beans to leave out of the scanned components.
	 * @return the exclude filters
	 */
	Filter[] excludeFilters() default {};

	/**
	 * Auto-configuration to leave out of this test.
	 * @return the auto-configuration to exclude
	 */
	@AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
	Class<?>[] excludeAutoConfiguration() default {};

}
